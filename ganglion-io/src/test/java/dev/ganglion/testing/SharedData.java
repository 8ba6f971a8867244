package dev.ganglion.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * Locates {@code ../shared/data} (the real public data sets). Where a file is missing, tests that
 * need it are skipped with a message, except when {@code GANGLION_REQUIRE_SHARED_DATA=1} (set by
 * {@code .ci/run}), where its absence fails them. Shared by the test suites of every module
 * (ganglion-io's test jar).
 */
public final class SharedData {
    private SharedData() {
    }

    /** The file {@code name} (e.g. {@code "mnist/t10k-labels-idx1-ubyte.gz"}) under the data folder. */
    public static Path file(String name) {
        String configured = System.getProperty("ganglion.sharedData");
        Path dir = configured != null ? Path.of(configured) : Path.of("..", "..", "shared", "data");
        Path f = dir.resolve(name).normalize();
        if (!Files.exists(f)) {
            String message = "shared data set " + f + " not found (../shared/data beside the checkout)";
            if ("1".equals(System.getenv("GANGLION_REQUIRE_SHARED_DATA"))) {
                Assertions.fail(message + "; CI requires it");
            }
            Assumptions.abort(message + "; skipping");
        }
        return f;
    }
}
