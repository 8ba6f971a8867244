package dev.ganglion.io.fuzz;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Puts fuzzer input into real files (the readers under test take paths), in a directory made once
 * per JVM (in /dev/shm when there is one, so fuzzing is not bound by the disk).
 */
final class FuzzFiles {
    private static final Path DIR = create();

    private FuzzFiles() {
    }

    private static Path create() {
        try {
            Path shm = Path.of("/dev/shm");
            Path dir = Files.isDirectory(shm) && Files.isWritable(shm)
                    ? Files.createTempDirectory(shm, "ganglion-fuzz") : Files.createTempDirectory("ganglion-fuzz");
            dir.toFile().deleteOnExit();
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes {@code bytes} to the file {@code name} in the fuzz directory and returns its path. */
    static Path write(String name, byte[] bytes) {
        try {
            Path p = DIR.resolve(name);
            Files.write(p, bytes);
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Splits {@code input} into [first, rest]: a 2-byte big-endian length of the first part, then the parts. */
    static byte[][] split(byte[] input) {
        if (input.length < 2) return new byte[][]{new byte[0], input.clone()};
        int n = Math.min(((input[0] & 0xFF) << 8) | (input[1] & 0xFF), input.length - 2);
        return new byte[][]{java.util.Arrays.copyOfRange(input, 2, 2 + n), java.util.Arrays.copyOfRange(input, 2 + n, input.length)};
    }

    /** A directory {@code name} in the fuzz directory holding the given files. */
    static Path directory(String name, String f1, byte[] b1, String f2, byte[] b2) {
        try {
            Path d = Files.createDirectories(DIR.resolve(name));
            Files.write(d.resolve(f1), b1);
            Files.write(d.resolve(f2), b2);
            return d;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
