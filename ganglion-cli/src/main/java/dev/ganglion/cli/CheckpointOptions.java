package dev.ganglion.cli;

import picocli.CommandLine.Option;

import java.nio.file.Path;

/** The checkpoint options of {@code ganglion train}. */
final class CheckpointOptions {
    @Option(names = "--checkpoint-every", defaultValue = "0", paramLabel = "N",
            description = "Save a checkpoint every N epochs and at the end (default: 0, only when interrupted).")
    int every;

    @Option(names = "--checkpoint-dir", paramLabel = "DIR",
            description = "Where checkpoints go (default: OUT/checkpoints).")
    Path dir;

    @Option(names = "--keep-checkpoints", defaultValue = "3", paramLabel = "K",
            description = "Keep the K newest checkpoints, 0 for all (default: ${DEFAULT-VALUE}).")
    int keep;

    @Option(names = "--resume", paramLabel = "DIR",
            description = "Continue an interrupted run from a checkpoint (or the newest in a checkpoint directory) "
                    + "with the settings it was started with.")
    Path resume;

    /** The checkpoint directory for a run writing its model to {@code out}. */
    Path dirFor(Path out) {
        return dir != null ? dir : out.resolve("checkpoints");
    }

    void validate() {
        if (every < 0) throw new UserError("--checkpoint-every must be >= 0 epochs, got " + every);
        if (keep < 0) throw new UserError("--keep-checkpoints must be >= 0, got " + keep);
    }
}
