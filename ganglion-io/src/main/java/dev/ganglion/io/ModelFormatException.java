package dev.ganglion.io;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A model file (safetensors) could not be read or is malformed. Model files are treated as
 * untrusted input, so every structural problem ends up here rather than as an arbitrary runtime
 * exception. The message is one line naming the file and, where one is involved, the tensor, e.g.
 * {@code model.safetensors: tensor "dense.weight": shape [4, 3] of F32 needs 48 bytes, but
 * data_offsets [0, 40] cover 40}.
 */
public class ModelFormatException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient Path file;
    private final String tensor;

    /**
     * @param file    the file being read
     * @param tensor  the tensor concerned, or {@code null} for a problem with the file as a whole
     * @param problem what is wrong, without the location
     */
    public ModelFormatException(Path file, String tensor, String problem) {
        this(file, tensor, problem, null);
    }

    /** As {@link #ModelFormatException(Path, String, String)}, with the underlying cause. */
    public ModelFormatException(Path file, String tensor, String problem, Throwable cause) {
        super(format(file, tensor, problem), cause);
        this.file = Objects.requireNonNull(file, "file");
        this.tensor = tensor;
    }

    private static String format(Path file, String tensor, String problem) {
        StringBuilder b = new StringBuilder().append(file).append(": ");
        if (tensor != null) {
            b.append("tensor ").append(Text.quote(tensor)).append(": ");
        }
        return b.append(Text.oneLine(problem)).toString();
    }

    /** The file being read. */
    public Path file() {
        return file;
    }

    /** The tensor concerned, or {@code null} for a problem with the file as a whole. */
    public String tensor() {
        return tensor;
    }
}
