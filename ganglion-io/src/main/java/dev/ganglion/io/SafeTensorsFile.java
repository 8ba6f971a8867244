package dev.ganglion.io;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.SequencedMap;

/**
 * What {@link SafeTensors#read(Path)} found in a safetensors file.
 *
 * @param file     the file read, used in error messages
 * @param tensors  the tensors by name, converted to float, in the order their data lies in the file
 * @param metadata the free-form {@code __metadata__} strings; empty if the file has none
 * @param dtypes   for each tensor, the element type it was stored as ({@code F32}, {@code F16}, ...)
 */
public record SafeTensorsFile(
        Path file,
        SequencedMap<String, FloatTensorData> tensors,
        Map<String, String> metadata,
        Map<String, String> dtypes) {

    /** Makes unmodifiable copies that keep the iteration order. */
    public SafeTensorsFile {
        Objects.requireNonNull(file, "file");
        tensors = Collections.unmodifiableSequencedMap(new LinkedHashMap<>(tensors));
        metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
        dtypes = Collections.unmodifiableMap(new LinkedHashMap<>(dtypes));
    }

    /**
     * The tensor with the given name.
     *
     * @throws ModelFormatException if the file has no such tensor; the message lists those it has
     */
    public FloatTensorData tensor(String name) {
        FloatTensorData t = tensors.get(name);
        if (t == null) {
            throw new ModelFormatException(file, name, "no such tensor in the file; it has "
                    + (tensors.isEmpty() ? "none" : Text.quoteAll(tensors.keySet(), 40)));
        }
        return t;
    }
}
