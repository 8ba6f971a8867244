package dev.ganglion.io;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.ShortBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SequencedMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Reads and writes the <a href="https://github.com/huggingface/safetensors">safetensors</a> format,
 * the common interchange format for model weights.
 *
 * <p>Layout: an 8-byte little-endian unsigned header length {@code N}; {@code N} bytes of UTF-8
 * JSON, an object mapping each tensor name to {@code {"dtype", "shape", "data_offsets": [begin,
 * end]}} plus an optional {@code "__metadata__"} object of strings; then the data buffer, where
 * each tensor's little-endian, row-major bytes lie at {@code [begin, end)} relative to the start of
 * the buffer.
 *
 * <p>Writing produces F32 tensors laid out back to back in the map's iteration order, with the
 * header padded with spaces to a multiple of 8 bytes so the data stays aligned. The file is first
 * written to a temporary file in the same directory, flushed to disk and then renamed over the
 * target, so a crash leaves either the old file or the complete new one, never a torn one.
 *
 * <p>Reading treats the file as untrusted: the header size is bounded by {@link #MAX_HEADER_BYTES}
 * and by the file size, and every entry is checked (dtype, shape, offsets matching the shape, no
 * overlaps, no unused bytes, nothing past the end) before any tensor memory is allocated, so a
 * corrupt or hostile file yields a one-line {@link ModelFormatException} naming the file and the
 * tensor, never a huge allocation or an arbitrary exception. F32, F64, F16 and BF16 tensors are read,
 * the last three converted to float.
 */
public final class SafeTensors {

    /** Largest header accepted, as in the reference implementation: 100 MB. */
    public static final long MAX_HEADER_BYTES = 100_000_000L;

    /** The header key that holds free-form string metadata rather than a tensor. */
    public static final String METADATA_KEY = "__metadata__";

    /** Largest element count of a Java array, with the usual VM headroom. */
    private static final long MAX_ELEMENTS = Integer.MAX_VALUE - 8;

    /** I/O chunk size; a multiple of every item size. */
    private static final int CHUNK_BYTES = 1 << 20;

    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private SafeTensors() {}

    /** The element types this reader accepts, with their size in bytes. */
    private enum Dtype {
        F32(4), F64(8), F16(2), BF16(2);

        final int bytes;

        Dtype(int bytes) {
            this.bytes = bytes;
        }

        static Dtype of(String name) {
            for (Dtype d : values()) {
                if (d.name().equals(name)) {
                    return d;
                }
            }
            return null;
        }
    }

    /** One validated header entry. */
    private record Entry(String name, Dtype dtype, int[] shape, int count, long begin, long end) {
        String offsets() {
            return "[" + begin + ", " + end + "]";
        }
    }

    // ------------------------------------------------------------------------------------ write

    /** Writes tensors with no metadata; see {@link #write(Path, Map, Map)}. */
    public static void write(Path file, Map<String, FloatTensorData> tensors) {
        write(file, tensors, Map.of());
    }

    /**
     * Writes tensors as F32, in the map's iteration order, with string metadata (omitted from the
     * header when empty). Replaces {@code file} atomically.
     *
     * @throws IllegalArgumentException if a tensor is named {@value #METADATA_KEY} or the header
     *     would exceed {@link #MAX_HEADER_BYTES}
     * @throws UncheckedIOException     if the file cannot be written; the message names it
     */
    public static void write(Path file, Map<String, FloatTensorData> tensors, Map<String, String> metadata) {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(tensors, "tensors");
        Objects.requireNonNull(metadata, "metadata");
        ByteBuffer head = header(file, tensors, metadata);

        Path target = file.toAbsolutePath();
        Path dir = target.getParent();
        Path tmp = dir.resolve("." + target.getFileName() + "."
                + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ".tmp");
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                writeFully(ch, head);
                ByteBuffer chunk = ByteBuffer.allocate(CHUNK_BYTES).order(ByteOrder.LITTLE_ENDIAN);
                for (FloatTensorData t : tensors.values()) {
                    float[] data = t.data();
                    for (int done = 0; done < data.length; ) {
                        int n = Math.min(CHUNK_BYTES / Float.BYTES, data.length - done);
                        chunk.clear();
                        chunk.asFloatBuffer().put(data, done, n);
                        chunk.limit(n * Float.BYTES);
                        writeFully(ch, chunk);
                        done += n;
                    }
                }
                ch.force(true);
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            syncDirectory(dir);
        } catch (IOException e) {
            deleteQuietly(tmp, e);
            throw new UncheckedIOException(file + ": cannot write: " + describe(e), e);
        } catch (RuntimeException | Error e) {
            deleteQuietly(tmp, e);
            throw e;
        }
    }

    /** Builds the length field, the JSON header and its padding. */
    private static ByteBuffer header(Path file, Map<String, FloatTensorData> tensors, Map<String, String> metadata) {
        ObjectNode header = JSON.createObjectNode();
        if (!metadata.isEmpty()) {
            ObjectNode meta = header.putObject(METADATA_KEY);
            metadata.forEach((k, v) -> meta.put(
                    Objects.requireNonNull(k, "metadata key"), Objects.requireNonNull(v, "metadata value")));
        }
        long offset = 0;
        for (Map.Entry<String, FloatTensorData> e : tensors.entrySet()) {
            String name = Objects.requireNonNull(e.getKey(), "tensor name");
            FloatTensorData t = Objects.requireNonNull(e.getValue(), () -> "tensor " + Text.quote(name));
            if (name.equals(METADATA_KEY)) {
                throw new IllegalArgumentException(file + ": tensor name " + Text.quote(name)
                        + " is reserved by the safetensors format for metadata");
            }
            ObjectNode entry = header.putObject(name);
            entry.put("dtype", "F32");
            ArrayNode shape = entry.putArray("shape");
            for (int d : t.shape()) {
                shape.add(d);
            }
            long end = offset + (long) Float.BYTES * t.size();
            entry.putArray("data_offsets").add(offset).add(end);
            offset = end;
        }
        byte[] json;
        try {
            json = JSON.writeValueAsBytes(header);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(file + ": cannot encode the header: " + e.getOriginalMessage(), e);
        }
        long padded = (json.length + 7L) & ~7L;
        if (padded > MAX_HEADER_BYTES) {
            throw new IllegalArgumentException(file + ": header would be " + padded
                    + " bytes, over the format's limit of " + MAX_HEADER_BYTES);
        }
        ByteBuffer head = ByteBuffer.allocate(8 + (int) padded).order(ByteOrder.LITTLE_ENDIAN);
        head.putLong(padded).put(json);
        while (head.hasRemaining()) {
            head.put((byte) ' ');
        }
        return head.flip();
    }

    private static void writeFully(FileChannel ch, ByteBuffer buf) throws IOException {
        while (buf.hasRemaining()) {
            ch.write(buf);
        }
    }

    /** Makes the rename itself durable. Not every platform can open a directory; that is fine. */
    private static void syncDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // best effort: the data itself was already forced before the rename
        }
    }

    private static void deleteQuietly(Path tmp, Throwable failure) {
        try {
            Files.deleteIfExists(tmp);
        } catch (IOException e) {
            failure.addSuppressed(e);
        }
    }

    private static String describe(IOException e) {
        if (e instanceof NoSuchFileException f) {
            return "no such file or directory: " + f.getFile();
        }
        if (e instanceof AccessDeniedException f) {
            return "permission denied: " + f.getFile();
        }
        return e.getMessage() != null ? Text.oneLine(e.getMessage()) : e.getClass().getSimpleName();
    }

    // ------------------------------------------------------------------------------------- read

    /**
     * Reads every tensor of a safetensors file, converted to float, in the order of their data.
     *
     * @throws ModelFormatException if the file is missing, unreadable, malformed or uses a dtype
     *     other than F32, F64, F16 or BF16; the one-line message names the file and the tensor
     */
    public static SafeTensorsFile read(Path file) {
        Objects.requireNonNull(file, "file");
        if (Files.isDirectory(file)) {
            throw new ModelFormatException(file, null, "is a directory, not a safetensors file");
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            return read(file, ch);
        } catch (NoSuchFileException e) {
            throw new ModelFormatException(file, null, "no such file", e);
        } catch (AccessDeniedException e) {
            throw new ModelFormatException(file, null, "cannot read: permission denied", e);
        } catch (IOException e) {
            throw new ModelFormatException(file, null, "cannot read: " + describe(e), e);
        }
    }

    private static SafeTensorsFile read(Path file, FileChannel ch) throws IOException {
        long size = ch.size();
        if (size < 8) {
            throw fail(file, null, "file is " + size + " bytes, too short for the 8-byte header length"
                    + " that starts a safetensors file");
        }
        ByteBuffer lengthField = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        readFully(file, null, ch, lengthField, 0);
        long n = lengthField.getLong(0);
        if (Long.compareUnsigned(n, MAX_HEADER_BYTES) > 0) {
            throw fail(file, null, "header length " + Long.toUnsignedString(n) + " bytes is over the limit of "
                    + MAX_HEADER_BYTES + " (not a safetensors file, or a corrupt one)");
        }
        if (n > size - 8) {
            throw fail(file, null, "header length " + n + " bytes runs past the end of the file ("
                    + size + " bytes; truncated?)");
        }
        ByteBuffer headerBytes = ByteBuffer.allocate((int) n);
        readFully(file, null, ch, headerBytes, 8);
        JsonNode root = parseHeader(file, headerBytes.flip());

        long bufferStart = 8 + n;
        long bufferLength = size - bufferStart;
        Map<String, String> metadata = Map.of();
        List<Entry> entries = new ArrayList<>();
        for (Map.Entry<String, JsonNode> field : root.properties()) {
            if (field.getKey().equals(METADATA_KEY)) {
                metadata = metadata(file, field.getValue());
            } else {
                entries.add(entry(file, field.getKey(), field.getValue(), bufferLength));
            }
        }

        entries.sort(Comparator.comparingLong(Entry::begin).thenComparingLong(Entry::end));
        long covered = 0;
        Entry previous = null;
        for (Entry e : entries) {
            if (e.begin() < covered) {
                throw fail(file, e.name(), "data_offsets " + e.offsets() + " overlap those of tensor "
                        + Text.quote(previous.name()) + " " + previous.offsets());
            }
            if (e.begin() > covered) {
                throw fail(file, e.name(), "data_offsets " + e.offsets() + " leave bytes [" + covered + ", "
                        + e.begin() + ") of the data buffer unused; tensors must cover it without gaps");
            }
            covered = e.end();
            previous = e;
        }
        if (covered != bufferLength) {
            throw fail(file, null, "the data buffer has " + bufferLength + " bytes but the tensors cover only "
                    + covered + "; bytes [" + covered + ", " + bufferLength + ") belong to no tensor");
        }

        SequencedMap<String, FloatTensorData> tensors = new LinkedHashMap<>();
        Map<String, String> dtypes = new LinkedHashMap<>();
        ByteBuffer chunk = ByteBuffer.allocate((int) Math.min(CHUNK_BYTES, Math.max(bufferLength, 8)))
                .order(ByteOrder.LITTLE_ENDIAN);
        for (Entry e : entries) {
            tensors.put(e.name(), new FloatTensorData(e.shape(), data(file, ch, e, bufferStart, chunk)));
            dtypes.put(e.name(), e.dtype().name());
        }
        return new SafeTensorsFile(file, tensors, metadata, dtypes);
    }

    private static JsonNode parseHeader(Path file, ByteBuffer bytes) {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(bytes)
                    .toString();
        } catch (CharacterCodingException e) {
            throw fail(file, null, "header is not valid UTF-8", e);
        }
        if (!text.startsWith("{")) {
            throw fail(file, null, "header does not start with '{', so it is not a JSON object"
                    + " (not a safetensors file?)");
        }
        try {
            return JSON.readTree(text);
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            String where = at != null && at.getCharOffset() >= 0
                    ? " (at character " + at.getCharOffset() + " of the header)" : "";
            throw fail(file, null, "header is not valid JSON: " + abbreviate(e.getOriginalMessage()) + where, e);
        }
    }

    private static Map<String, String> metadata(Path file, JsonNode node) {
        if (!node.isObject()) {
            throw fail(file, null, METADATA_KEY + " is " + kind(node) + ", expected an object of strings");
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : node.properties()) {
            if (!e.getValue().isTextual()) {
                throw fail(file, null, METADATA_KEY + " entry " + Text.quote(e.getKey()) + " is "
                        + kind(e.getValue()) + ", expected a string");
            }
            metadata.put(e.getKey(), e.getValue().textValue());
        }
        return metadata;
    }

    /** Validates one header entry against the format and against the size of the data buffer. */
    private static Entry entry(Path file, String name, JsonNode node, long bufferLength) {
        if (!node.isObject()) {
            throw fail(file, name, "header entry is " + kind(node)
                    + ", expected an object with dtype, shape and data_offsets");
        }
        List<String> missing = new ArrayList<>();
        for (String key : List.of("dtype", "shape", "data_offsets")) {
            if (!node.has(key)) {
                missing.add(key);
            }
        }
        if (!missing.isEmpty()) {
            throw fail(file, name, "header entry has no " + String.join(", no ", missing));
        }

        JsonNode dtypeNode = node.get("dtype");
        if (!dtypeNode.isTextual()) {
            throw fail(file, name, "dtype is " + kind(dtypeNode) + ", expected a string such as \"F32\"");
        }
        Dtype dtype = Dtype.of(dtypeNode.textValue());
        if (dtype == null) {
            throw fail(file, name, "dtype " + Text.quote(dtypeNode.textValue())
                    + " is not supported; readable dtypes are F32, F64, F16 and BF16");
        }

        JsonNode shapeNode = node.get("shape");
        if (!shapeNode.isArray()) {
            throw fail(file, name, "shape is " + kind(shapeNode) + ", expected an array of sizes");
        }
        long[] dims = new long[shapeNode.size()];
        for (int i = 0; i < dims.length; i++) {
            JsonNode d = shapeNode.get(i);
            if (!d.isIntegralNumber() || !d.canConvertToLong()) {
                throw fail(file, name, "shape " + abbreviate(shapeNode.toString())
                        + " must hold integers, but dimension " + i + " is " + abbreviate(d.toString()));
            }
            dims[i] = d.longValue();
        }
        String shapeText = Text.shape(dims);
        long count = 1;
        int[] shape = new int[dims.length];
        for (int i = 0; i < dims.length; i++) {
            if (dims[i] < 0) {
                throw fail(file, name, "shape " + shapeText + " has a negative dimension");
            }
            if (dims[i] > MAX_ELEMENTS) {
                throw fail(file, name, "shape " + shapeText + " has more elements than a Java array can hold");
            }
            shape[i] = (int) dims[i];
            count *= dims[i]; // count <= MAX_ELEMENTS here and so is dims[i]: no overflow
            if (count > MAX_ELEMENTS) {
                throw fail(file, name, "shape " + shapeText + " has more elements than a Java array can hold");
            }
        }
        long bytes = count * dtype.bytes;

        JsonNode offsets = node.get("data_offsets");
        if (!offsets.isArray() || offsets.size() != 2
                || !isNonNegativeLong(offsets.get(0)) || !isNonNegativeLong(offsets.get(1))) {
            throw fail(file, name, "data_offsets is " + abbreviate(offsets.toString())
                    + ", expected [begin, end] with two non-negative integers");
        }
        long begin = offsets.get(0).longValue();
        long end = offsets.get(1).longValue();
        String offsetsText = "[" + begin + ", " + end + "]";
        if (end < begin) {
            throw fail(file, name, "data_offsets " + offsetsText + " end before they begin");
        }
        if (end - begin != bytes) {
            throw fail(file, name, "shape " + shapeText + " of " + dtype + " needs " + bytes
                    + " bytes, but data_offsets " + offsetsText + " cover " + (end - begin));
        }
        if (end > bufferLength) {
            throw fail(file, name, "data_offsets " + offsetsText + " run past the end of the data buffer, which has "
                    + bufferLength + " bytes (file truncated?)");
        }
        return new Entry(name, dtype, shape, (int) count, begin, end);
    }

    private static boolean isNonNegativeLong(JsonNode n) {
        return n.isIntegralNumber() && n.canConvertToLong() && n.longValue() >= 0;
    }

    /** Reads one tensor's bytes in chunks, converting to float. */
    private static float[] data(Path file, FileChannel ch, Entry e, long bufferStart, ByteBuffer chunk)
            throws IOException {
        float[] out = new float[e.count()];
        long position = bufferStart + e.begin();
        long remaining = e.end() - e.begin();
        int done = 0;
        while (remaining > 0) {
            int n = (int) Math.min(chunk.capacity(), remaining);
            chunk.clear().limit(n);
            readFully(file, e.name(), ch, chunk, position);
            chunk.flip();
            switch (e.dtype()) {
                case F32 -> {
                    chunk.asFloatBuffer().get(out, done, n / Float.BYTES);
                    done += n / Float.BYTES;
                }
                case F64 -> {
                    DoubleBuffer b = chunk.asDoubleBuffer();
                    while (b.hasRemaining()) {
                        out[done++] = (float) b.get();
                    }
                }
                case F16 -> {
                    ShortBuffer b = chunk.asShortBuffer();
                    while (b.hasRemaining()) {
                        out[done++] = Float.float16ToFloat(b.get());
                    }
                }
                case BF16 -> {
                    ShortBuffer b = chunk.asShortBuffer();
                    while (b.hasRemaining()) {
                        out[done++] = Float.intBitsToFloat((b.get() & 0xFFFF) << 16);
                    }
                }
            }
            position += n;
            remaining -= n;
        }
        return out;
    }

    private static void readFully(Path file, String tensor, FileChannel ch, ByteBuffer buf, long position)
            throws IOException {
        long at = position;
        while (buf.hasRemaining()) {
            int n = ch.read(buf, at);
            if (n < 0) {
                throw fail(file, tensor, "file ends at byte " + at + ", earlier than its size said"
                        + " (changed while being read?)");
            }
            at += n;
        }
    }

    private static String kind(JsonNode n) {
        return switch (n.getNodeType()) {
            case ARRAY -> "an array";
            case OBJECT, POJO -> "an object";
            case STRING -> "a string";
            case NUMBER -> "a number";
            case BOOLEAN -> "a boolean";
            case NULL -> "null";
            case BINARY, MISSING -> "missing";
        };
    }

    private static String abbreviate(String s) {
        String line = Text.oneLine(s);
        return line.length() <= 120 ? line : line.substring(0, 117) + "...";
    }

    private static ModelFormatException fail(Path file, String tensor, String problem) {
        return new ModelFormatException(file, tensor, problem);
    }

    private static ModelFormatException fail(Path file, String tensor, String problem, Throwable cause) {
        return new ModelFormatException(file, tensor, problem, cause);
    }
}
