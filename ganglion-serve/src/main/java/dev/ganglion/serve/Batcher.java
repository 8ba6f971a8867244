package dev.ganglion.serve;

import dev.ganglion.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Gathers the queued requests of one model into one forward pass and splits the outputs back.
 *
 * <p>One thread per model runs every forward pass of that model, so the network (which switches
 * itself to evaluation mode around a prediction) is never used by two threads at once. A batch
 * takes everything queued, up to {@code maxRows}; while other requests to the model are still
 * being read ({@link #arriving()}), it waits for them up to {@code maxWait} after its first
 * request was queued. With a single client nothing waits; under load the batches grow by
 * themselves, because requests queue up while a forward pass runs.
 */
final class Batcher implements AutoCloseable {
    /** One request's rows, coded for {@code model}, and where its outputs go. */
    record Job(ServedModel model, PredictRequest request, long queuedNanos, CompletableFuture<float[]> result) {
    }

    private static final int MAX_QUEUED = 10_000;

    private final String name;
    private final int maxRows;
    private final long maxWaitNanos;
    private final ServerMetrics metrics;
    private final Consumer<String> log;
    private final BlockingQueue<Job> queue = new LinkedBlockingQueue<>(MAX_QUEUED);
    private final AtomicInteger arriving = new AtomicInteger();
    private final Thread thread;
    private volatile boolean running = true;
    private Job carried;

    Batcher(String name, int maxRows, long maxWaitNanos, ServerMetrics metrics, Consumer<String> log) {
        this.name = name;
        this.maxRows = maxRows;
        this.maxWaitNanos = maxWaitNanos;
        this.metrics = metrics;
        this.log = log;
        this.thread = Thread.ofPlatform().name("ganglion-batcher-" + name).daemon().start(this::loop);
    }

    /** Requests to this model being read now; a batch waits for them (up to the max wait). */
    AtomicInteger arriving() {
        return arriving;
    }

    /** Queues a job; its future completes with the outputs, row-major. */
    void submit(Job job) {
        if (!running) throw new ApiError(503, "unavailable", "the server is shutting down");
        if (!queue.offer(job)) {
            throw new ApiError(503, "unavailable", "model \"" + name + "\" has " + MAX_QUEUED + " requests queued; try again later");
        }
    }

    private void loop() {
        while (running || carried != null || !queue.isEmpty()) {
            try {
                Job first = carried != null ? carried : queue.poll(100, TimeUnit.MILLISECONDS);
                carried = null;
                if (first == null) continue;
                run(gather(first));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException | Error e) {
                log.accept("model \"" + name + "\": batcher error: " + e);
            }
        }
    }

    private List<Job> gather(Job first) throws InterruptedException {
        List<Job> batch = new ArrayList<>();
        batch.add(first);
        int rows = first.request().rows();
        long deadline = first.queuedNanos() + maxWaitNanos;
        while (rows < maxRows) {
            Job next = queue.poll();
            if (next == null) {
                long wait = deadline - System.nanoTime();
                if (wait <= 0 || arriving.get() == 0 || !running) break;
                next = queue.poll(wait, TimeUnit.NANOSECONDS);
                if (next == null) break;
            }
            if (rows + next.request().rows() > maxRows) {
                carried = next;
                break;
            }
            batch.add(next);
            rows += next.request().rows();
        }
        return batch;
    }

    /** Runs the batch: one forward pass per model version among its jobs (one, except right after a reload). */
    private void run(List<Job> batch) {
        int start = 0;
        while (start < batch.size()) {
            ServedModel model = batch.get(start).model();
            int end = start;
            while (end < batch.size() && batch.get(end).model() == model) end++;
            forward(model, batch.subList(start, end));
            start = end;
        }
    }

    private void forward(ServedModel served, List<Job> jobs) {
        try {
            int width = served.model().inputCount();
            int rows = 0;
            for (Job j : jobs) rows += j.request().rows();
            float[] x;
            if (jobs.size() == 1) {
                x = jobs.getFirst().request().coded();
            } else {
                x = new float[rows * width];
                int at = 0;
                for (Job j : jobs) {
                    float[] c = j.request().coded();
                    System.arraycopy(c, 0, x, at, c.length);
                    at += c.length;
                }
            }
            Tensor y = served.model().predict(Tensor.of(x, rows, width));
            float[] out = y.data();
            int k = y.shape().dim(1);
            metrics.batch(name, jobs.size(), rows);
            int at = 0;
            for (Job j : jobs) {
                int n = j.request().rows() * k;
                float[] mine = new float[n];
                System.arraycopy(out, at, mine, 0, n);
                at += n;
                j.result().complete(mine);
            }
        } catch (RuntimeException e) {
            for (Job j : jobs) j.result().completeExceptionally(e);
        }
    }

    /** Stops taking jobs, runs those queued, and waits (bounded) for the thread to finish. */
    @Override
    public void close() {
        running = false;
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
