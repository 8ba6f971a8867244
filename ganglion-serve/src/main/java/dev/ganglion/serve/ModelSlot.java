package dev.ganglion.serve;

import dev.ganglion.io.ModelStore;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * One served name: the model version now published (swapped atomically on reload), its batcher,
 * and what the directory watcher last saw of its directory.
 */
final class ModelSlot implements AutoCloseable {
    private final String name;
    private final Path dir;
    private final AtomicReference<ServedModel> current;
    private final Batcher batcher;
    private final ServerMetrics metrics;
    private final Consumer<String> log;
    /** How long a changed directory must stay unchanged before it is read (at least one poll). */
    static final long SETTLE_NANOS = 200_000_000L;

    // Touched only by the watcher thread.
    private Fingerprint applied;
    private Fingerprint pending;
    private long pendingSince;

    ModelSlot(ServedModel first, ServeOptions options, ServerMetrics metrics, Consumer<String> log) {
        this.name = first.name();
        this.dir = first.dir();
        this.current = new AtomicReference<>(first);
        this.metrics = metrics;
        this.log = log;
        this.applied = Fingerprint.of(dir);
        this.batcher = new Batcher(name, options.maxBatchRows(), options.maxWait().toNanos(), metrics, log);
    }

    String name() {
        return name;
    }

    ServedModel current() {
        return current.get();
    }

    Batcher batcher() {
        return batcher;
    }

    /**
     * One poll of the directory: a change must stay the same for one more poll and at least
     * {@link #SETTLE_NANOS} (so a model being written is not read half-way), then the new model is loaded, validated and published with
     * one reference swap. A broken model is logged and the served one kept.
     */
    void poll() {
        Fingerprint now = Fingerprint.of(dir);
        if (now.equals(applied)) {
            pending = null;
            return;
        }
        if (!now.equals(pending)) {
            pending = now;
            pendingSince = System.nanoTime();
            return;
        }
        if (System.nanoTime() - pendingSince < SETTLE_NANOS) return;
        ServedModel old = current.get();
        try {
            ServedModel next = ServedModel.load(name, dir, old.generation() + 1);
            if (!Fingerprint.of(dir).equals(now)) {
                pending = null;
                return;
            }
            applied = now;
            pending = null;
            if (next.weightsSha256().equals(old.weightsSha256()) && next.configSha256().equals(old.configSha256())) return;
            current.set(next);
            metrics.reload(name, "ok");
            log.accept("model \"" + name + "\": reloaded " + dir + ", version " + old.version() + " -> " + next.version()
                    + " (" + next.model().describe() + ")");
        } catch (ServedModel.ModelChangedException e) {
            pending = null;
        } catch (RuntimeException e) {
            applied = now;
            pending = null;
            metrics.reload(name, "failed");
            log.accept("model \"" + name + "\": not reloaded, still serving version " + old.version() + ": "
                    + String.valueOf(e.getMessage()).replace('\n', ' '));
        }
    }

    @Override
    public void close() {
        batcher.close();
    }

    /**
     * What identifies the directory's contents without reading them: inode, size and modification
     * time of the directory and of each file (links followed, so a swapped symlink counts too).
     */
    record Fingerprint(Stamp dir, Stamp config, Stamp weights) {
        static Fingerprint of(Path dir) {
            return new Fingerprint(stamp(dir), stamp(dir.resolve(ModelStore.CONFIG_FILE)), stamp(dir.resolve(ModelStore.WEIGHTS_FILE)));
        }

        private static Stamp stamp(Path p) {
            try {
                BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
                return new Stamp(a.fileKey(), a.size(), a.lastModifiedTime());
            } catch (IOException e) {
                return null;
            }
        }
    }

    /** One file's identity; {@code key} is the inode (null where the file system has none). */
    record Stamp(Object key, long size, FileTime modified) {
    }
}
