package dev.ganglion.io;

import java.nio.file.Path;

/**
 * A run configuration file (YAML or JSON) holds an unknown key, a value of the wrong type or an
 * invalid value. The message is one line naming the file, the line and column and the key path,
 * e.g. {@code run.yaml: line 7, column 12: "training.epochs" must be an integer, got "ten"}.
 */
public class ConfigException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final transient Path file;
    private final int line;
    private final String key;

    /**
     * @param file    the configuration file
     * @param line    1-based line of the offending key or value, 0 when unknown
     * @param column  1-based column, 0 when unknown
     * @param key     the key path, e.g. {@code layers[1].units}, or null for the whole file
     * @param problem what is wrong, without the location
     */
    public ConfigException(Path file, int line, int column, String key, String problem) {
        super(file + (line > 0 ? ": line " + line + (column > 0 ? ", column " + column : "") : "") + ": "
                + (key == null ? "" : "\"" + key + "\" ") + problem);
        this.file = file;
        this.line = line;
        this.key = key;
    }

    /** The configuration file. */
    public Path file() {
        return file;
    }

    /** The 1-based line of the problem, 0 when unknown. */
    public int line() {
        return line;
    }

    /** The key path of the problem ({@code training.optimizer.learning_rate}), or null. */
    public String key() {
        return key;
    }
}
