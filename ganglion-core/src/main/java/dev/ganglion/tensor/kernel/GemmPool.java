package dev.ganglion.tensor.kernel;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * The one worker pool shared by all matrix multiplies: the calling thread runs part 0 of a job
 * and {@code threads() - 1} daemon helpers run the others.
 *
 * <p>Why not an {@code ExecutorService}: waking a parked thread costs tens of microseconds,
 * which is as long as a whole 256³ multiply. The helpers therefore spin for a short while after
 * each job (so back-to-back calls start at once) and only then park, using no CPU when idle.
 *
 * <p>The thread count is {@code Runtime.availableProcessors()}, or the system property
 * {@code ganglion.threads} when set. One caller at a time owns the helpers; a caller that finds
 * them busy runs all of its parts itself, which gives the same result because the parts write
 * disjoint blocks of C.
 */
final class GemmPool {
    /** A job split into parts; {@code run(part)} is called once for each part. */
    @FunctionalInterface
    interface Job {
        void run(int part);
    }

    /** How long an idle thread spins before parking. */
    private static final long SPIN_NANOS = 200_000L;
    /**
     * Spin-waits between two readings of the clock: reading it each time made the clock a third
     * of a waiting thread's samples ({@code perf}), where a spin-wait hint leaves the core to others.
     */
    private static final int SPINS_PER_CLOCK = 64;
    private static final int THREADS = configuredThreads();

    private final Helper[] helpers;
    private final AtomicBoolean busy = new AtomicBoolean();
    private final AtomicInteger pending = new AtomicInteger();
    private volatile Thread waiter;

    private GemmPool(int helperCount) {
        helpers = new Helper[helperCount];
        for (int i = 0; i < helperCount; i++) helpers[i] = new Helper(i + 1);
    }

    /** The number of threads a multiply may use, the caller included (at least 1). */
    static int threads() {
        return THREADS;
    }

    /**
     * Runs {@code job.run(p)} for every {@code p} in {@code [0, parts)}, part 0 on the calling
     * thread, and returns when all are done. Exceptions from any part are rethrown here.
     */
    static void run(int parts, Job job) {
        if (parts <= 1 || THREADS <= 1) {
            for (int p = 0; p < parts; p++) job.run(p);
        } else {
            Holder.POOL.invoke(parts, job);
        }
    }

    private static int configuredThreads() {
        int available = Math.max(1, Runtime.getRuntime().availableProcessors());
        String value = System.getProperty("ganglion.threads");
        if (value == null || value.isBlank()) return available;
        try {
            return Math.clamp(Integer.parseInt(value.strip()), 1, 1024);
        } catch (NumberFormatException e) {
            return available;
        }
    }

    /** Creates the helpers on first parallel use only. */
    private static final class Holder {
        static final GemmPool POOL = new GemmPool(THREADS - 1);
    }

    private void invoke(int parts, Job job) {
        if (parts > helpers.length + 1 || !busy.compareAndSet(false, true)) {
            for (int p = 0; p < parts; p++) job.run(p);
            return;
        }
        try {
            pending.set(parts - 1);
            for (int p = 1; p < parts; p++) helpers[p - 1].submit(job);
            Throwable failure = null;
            try {
                job.run(0);
            } catch (Throwable t) {
                failure = t;
            }
            awaitHelpers();
            for (int p = 1; p < parts; p++) {
                Throwable t = helpers[p - 1].takeFailure();
                if (t == null) continue;
                if (failure == null) failure = t;
                else failure.addSuppressed(t);
            }
            if (failure instanceof RuntimeException e) throw e;
            if (failure instanceof Error e) throw e;
            if (failure != null) throw new IllegalStateException(failure);
        } finally {
            busy.set(false);
        }
    }

    private void awaitHelpers() {
        long deadline = System.nanoTime() + SPIN_NANOS;
        int spins = 0;
        while (pending.get() != 0) {
            if (++spins % SPINS_PER_CLOCK != 0 || System.nanoTime() - deadline < 0) {
                Thread.onSpinWait();
            } else {
                waiter = Thread.currentThread();
                if (pending.get() != 0) LockSupport.park(this);
                waiter = null;
            }
        }
    }

    private void partDone() {
        if (pending.decrementAndGet() == 0) {
            Thread w = waiter;
            if (w != null) LockSupport.unpark(w);
        }
    }

    private final class Helper implements Runnable {
        private final int part;
        private final Thread thread;
        private volatile Job job;
        private volatile boolean parked;
        private Throwable failure;

        Helper(int part) {
            this.part = part;
            thread = new Thread(this, "ganglion-gemm-" + part);
            thread.setDaemon(true);
            thread.start();
        }

        void submit(Job j) {
            job = j;
            if (parked) LockSupport.unpark(thread);
        }

        Throwable takeFailure() {
            Throwable t = failure;
            failure = null;
            return t;
        }

        @Override
        public void run() {
            while (true) {
                Job j = awaitJob();
                try {
                    j.run(part);
                } catch (Throwable t) {
                    failure = t;
                }
                job = null;
                partDone();
            }
        }

        private Job awaitJob() {
            long deadline = System.nanoTime() + SPIN_NANOS;
            int spins = 0;
            Job j;
            while ((j = job) == null) {
                if (++spins % SPINS_PER_CLOCK != 0 || System.nanoTime() - deadline < 0) {
                    Thread.onSpinWait();
                } else {
                    parked = true;
                    if (job == null) LockSupport.park(this);
                    parked = false;
                }
            }
            return j;
        }
    }
}
