package dev.ganglion;

import dev.ganglion.tensor.kernel.Gemm;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** Library-wide facts: the version, and which compute backend is in use. */
public final class Ganglion {
    private Ganglion() {
    }

    /** The library version, e.g. {@code 0.1.0}; stored in every saved model. */
    public static String version() {
        try (InputStream in = Ganglion.class.getResourceAsStream("version.properties")) {
            if (in == null) return "unknown";
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version", "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }

    /** A description of the matrix-multiply backend chosen at start-up. */
    public static String backend() {
        return Gemm.backend();
    }
}
