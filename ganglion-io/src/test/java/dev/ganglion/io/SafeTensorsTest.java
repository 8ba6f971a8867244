package dev.ganglion.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SafeTensorsTest {

    @TempDir
    Path dir;

    private static FloatTensorData tensor(float[] data, int... shape) {
        return new FloatTensorData(shape, data);
    }

    /** A file with the given header (padded to 8 bytes unless told) and data bytes. */
    private Path handBuilt(String header, byte[] data) throws IOException {
        byte[] json = header.getBytes(StandardCharsets.UTF_8);
        int padded = (json.length + 7) & ~7;
        ByteBuffer b = ByteBuffer.allocate(8 + padded + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(padded).put(json);
        while (b.position() < 8 + padded) {
            b.put((byte) ' ');
        }
        b.put(data);
        return raw(b.array());
    }

    private Path raw(byte[] bytes) throws IOException {
        Path file = dir.resolve("model.safetensors");
        Files.write(file, bytes);
        return file;
    }

    private static byte[] f32(float... values) {
        ByteBuffer b = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            b.putFloat(v);
        }
        return b.array();
    }

    private static void assertError(Path file, String expected) {
        assertThatThrownBy(() -> SafeTensors.read(file))
                .isInstanceOf(ModelFormatException.class)
                .hasMessage(expected)
                .message().doesNotContain("\n", "\r");
    }

    // ------------------------------------------------------------------------------- round trip

    @Test
    void roundTripKeepsShapesValuesOrderAndMetadata() {
        Map<String, FloatTensorData> tensors = new LinkedHashMap<>();
        tensors.put("z.bias", tensor(new float[] {1.5f, -2f, 0f}, 3));
        tensors.put("a.weight", tensor(new float[] {1, 2, 3, 4, 5, 6}, 2, 3));
        tensors.put("scalar", FloatTensorData.scalar(42f));
        tensors.put("empty", tensor(new float[0], 0, 4));
        tensors.put("cube", tensor(new float[] {Float.NaN, -0f, Float.MIN_VALUE, Float.MAX_VALUE,
            Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 1e-38f, -7f}, 2, 2, 2));
        tensors.put("ünïcode/名前", tensor(new float[] {9f}, 1));
        Map<String, String> metadata = Map.of("format", "pt", "ganglion.version", "0.1.0");
        Path file = dir.resolve("m.safetensors");

        SafeTensors.write(file, tensors, metadata);
        SafeTensorsFile read = SafeTensors.read(file);

        assertThat(read.file()).isEqualTo(file);
        assertThat(read.tensors()).containsExactlyEntriesOf(tensors); // same order, bit-equal values
        assertThat(read.metadata()).isEqualTo(metadata);
        assertThat(read.dtypes().values()).containsOnly("F32");
        assertThat(read.tensor("scalar").shape()).isEmpty();
        assertThat(read.tensor("scalar").data()).containsExactly(42f);
        assertThat(read.tensor("empty").shape()).containsExactly(0, 4);
        assertThat(Float.floatToRawIntBits(read.tensor("cube").data()[1])).isEqualTo(0x80000000);
    }

    @Test
    void roundTripOfNoTensorsAtAll() {
        Path file = dir.resolve("none.safetensors");
        SafeTensors.write(file, Map.of());
        SafeTensorsFile read = SafeTensors.read(file);
        assertThat(read.tensors()).isEmpty();
        assertThat(read.metadata()).isEmpty();
    }

    @Test
    void roundTripOfLargeTensorSpanningSeveralChunks() {
        float[] data = new float[700_000]; // 2.8 MB, more than one 1 MiB chunk
        for (int i = 0; i < data.length; i++) {
            data[i] = i * 0.5f - 3f;
        }
        Map<String, FloatTensorData> tensors = new LinkedHashMap<>();
        tensors.put("odd", tensor(new float[] {1, 2, 3}, 3)); // leaves later data 4-byte aligned only
        tensors.put("big", tensor(data, 1000, 700));
        Path file = dir.resolve("big.safetensors");
        SafeTensors.write(file, tensors);
        assertThat(SafeTensors.read(file).tensors()).containsExactlyEntriesOf(tensors);
    }

    // ------------------------------------------------------------------------------ byte layout

    @Test
    void writesTheDocumentedByteLayout() throws IOException {
        Map<String, FloatTensorData> tensors = new LinkedHashMap<>();
        tensors.put("w", tensor(new float[] {1f, -2f}, 2));
        tensors.put("s", FloatTensorData.scalar(0.5f));
        Path file = dir.resolve("layout.safetensors");
        SafeTensors.write(file, tensors, Map.of("k", "v"));

        String json = "{\"__metadata__\":{\"k\":\"v\"},"
                + "\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                + "\"s\":{\"dtype\":\"F32\",\"shape\":[],\"data_offsets\":[8,12]}}";
        int padded = (json.length() + 7) / 8 * 8;
        byte[] expected = ByteBuffer.allocate(8 + padded + 12).order(ByteOrder.LITTLE_ENDIAN)
                .putLong(padded)
                .put(json.getBytes(StandardCharsets.UTF_8))
                .put(" ".repeat(padded - json.length()).getBytes(StandardCharsets.US_ASCII))
                .put(new byte[] {0x00, 0x00, (byte) 0x80, 0x3F}) // 1.0f, little endian
                .put(new byte[] {0x00, 0x00, 0x00, (byte) 0xC0}) // -2.0f
                .put(new byte[] {0x00, 0x00, 0x00, 0x3F}) // 0.5f
                .array();

        byte[] actual = Files.readAllBytes(file);
        assertThat(actual).isEqualTo(expected);
        assertThat(padded % 8).isZero();
        assertThat(padded - json.length()).isBetween(0, 7);
        // the length field is little endian: its low byte comes first
        assertThat(actual[0] & 0xFF).isEqualTo(padded & 0xFF);
        assertThat(actual[1] & 0xFF).isEqualTo(padded >>> 8);
        assertThat(Arrays.copyOfRange(actual, 2, 8)).containsOnly(0);
    }

    @Test
    void readsHandBuiltFileInOffsetOrderWhateverTheHeaderOrder() throws IOException {
        String header = "{\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[8,12]},"
                + "\"__metadata__\":{\"note\":\"hand made\"},"
                + "\"a\":{\"shape\":[2],\"data_offsets\":[0,8],\"dtype\":\"F32\",\"extra\":true}}";
        Path file = handBuilt(header, f32(1f, 2f, 3f));
        SafeTensorsFile read = SafeTensors.read(file);
        assertThat(read.tensors().sequencedKeySet()).containsExactly("a", "b");
        assertThat(read.tensor("a").data()).containsExactly(1f, 2f);
        assertThat(read.tensor("b").data()).containsExactly(3f);
        assertThat(read.metadata()).containsExactly(Map.entry("note", "hand made"));
    }

    @Test
    void readsUnpaddedHeaderAndEmptyTensorsAtAnyOffset() throws IOException {
        String header = "{\"e\":{\"dtype\":\"F32\",\"shape\":[3,0],\"data_offsets\":[4,4]},"
                + "\"x\":{\"dtype\":\"F32\",\"shape\":[],\"data_offsets\":[0,4]}}";
        byte[] json = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + json.length + 4).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(json.length).put(json).put(f32(7f));
        SafeTensorsFile read = SafeTensors.read(raw(b.array()));
        assertThat(read.tensors().sequencedKeySet()).containsExactly("x", "e");
        assertThat(read.tensor("x")).isEqualTo(FloatTensorData.scalar(7f));
        assertThat(read.tensor("e").shape()).containsExactly(3, 0);
    }

    @Test
    void convertsF64F16AndBf16ToFloat() throws IOException {
        ByteBuffer data = ByteBuffer.allocate(8 * 2 + 2 * 3 + 2 * 2).order(ByteOrder.LITTLE_ENDIAN);
        data.putDouble(0.1).putDouble(-1e300); // F64, the second beyond float range
        data.putShort((short) 0x3C00).putShort((short) 0xC000).putShort((short) 0x7C00); // F16 1, -2, +inf
        data.putShort((short) 0x3F80).putShort((short) 0xBFC0); // BF16 1, -1.5
        String header = "{\"d\":{\"dtype\":\"F64\",\"shape\":[2],\"data_offsets\":[0,16]},"
                + "\"h\":{\"dtype\":\"F16\",\"shape\":[3],\"data_offsets\":[16,22]},"
                + "\"b\":{\"dtype\":\"BF16\",\"shape\":[1,2],\"data_offsets\":[22,26]}}";
        SafeTensorsFile read = SafeTensors.read(handBuilt(header, data.array()));
        assertThat(read.tensor("d").data()).containsExactly(0.1f, Float.NEGATIVE_INFINITY);
        assertThat(read.tensor("h").data()).containsExactly(1f, -2f, Float.POSITIVE_INFINITY);
        assertThat(read.tensor("b").data()).containsExactly(1f, -1.5f);
        assertThat(read.dtypes()).containsExactly(Map.entry("d", "F64"), Map.entry("h", "F16"), Map.entry("b", "BF16"));
    }

    // ---------------------------------------------------------------------------- atomic write

    @Test
    void overwritesAtomicallyAndLeavesNoTemporaryFiles() throws IOException {
        Path file = dir.resolve("m.safetensors");
        SafeTensors.write(file, Map.of("a", tensor(new float[] {1}, 1)));
        SafeTensors.write(file, Map.of("b", tensor(new float[] {2, 3}, 2)));
        assertThat(SafeTensors.read(file).tensors()).containsOnlyKeys("b");
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files).containsExactly(file);
        }
    }

    @Test
    void failedWriteKeepsTheOldFileAndLeavesNoTemporaryFiles() throws IOException {
        Path file = dir.resolve("m.safetensors");
        SafeTensors.write(file, Map.of("a", tensor(new float[] {1}, 1)));
        byte[] before = Files.readAllBytes(file);
        Map<String, FloatTensorData> bad = new LinkedHashMap<>();
        bad.put("ok", tensor(new float[] {1}, 1));
        bad.put(SafeTensors.METADATA_KEY, tensor(new float[] {1}, 1));

        assertThatThrownBy(() -> SafeTensors.write(file, bad))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(file + ": tensor name \"__metadata__\" is reserved by the safetensors format for metadata");
        assertThat(Files.readAllBytes(file)).isEqualTo(before);
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files).containsExactly(file);
        }
    }

    @Test
    void failedRenameRemovesTheTemporaryFile() throws IOException {
        Path file = dir.resolve("m.safetensors");
        Files.createDirectory(file);
        Files.writeString(file.resolve("keep"), "x"); // a non-empty directory cannot be renamed over
        assertThatThrownBy(() -> SafeTensors.write(file, Map.of("a", tensor(new float[] {1}, 1))))
                .isInstanceOf(UncheckedIOException.class)
                .hasMessageStartingWith(file + ": cannot write: ");
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files).containsExactly(file);
        }
        assertThat(file.resolve("keep")).hasContent("x");
    }

    @Test
    void writeIntoMissingDirectoryNamesTheFile() {
        Path file = dir.resolve("no/such/dir/m.safetensors");
        assertThatThrownBy(() -> SafeTensors.write(file, Map.of()))
                .isInstanceOf(UncheckedIOException.class)
                .hasMessageStartingWith(file + ": cannot write: no such file or directory");
    }

    @Test
    void tensorDataValidatesItsShape() {
        assertThatThrownBy(() -> tensor(new float[5], 2, 3))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("shape [2, 3] has 6 elements, but data has 5 values");
        assertThatThrownBy(() -> tensor(new float[0], 2, -1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("shape [2, -1] has a negative dimension");
        assertThatThrownBy(() -> tensor(new float[0]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("shape [] has 1 elements, but data has 0 values");
        assertThatThrownBy(() -> tensor(new float[0], 65536, 65536))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("shape [65536, 65536] has more elements than a Java array can hold");
    }

    @Test
    void tensorDataCopiesItsShape() {
        int[] shape = {2};
        FloatTensorData t = tensor(new float[2], shape);
        shape[0] = 99;
        t.shape()[0] = 99;
        assertThat(t.shape()).containsExactly(2);
    }

    // -------------------------------------------------------------------------- malformed files

    @Test
    void missingFile() {
        Path file = dir.resolve("model.safetensors");
        assertError(file, file + ": no such file");
    }

    @Test
    void unknownTensorNameListsTheTensors() throws IOException {
        Path file = dir.resolve("m.safetensors");
        SafeTensors.write(file, Map.of("w", tensor(new float[] {1}, 1)));
        SafeTensorsFile read = SafeTensors.read(file);
        assertThatThrownBy(() -> read.tensor("v"))
                .isInstanceOf(ModelFormatException.class)
                .hasMessage(file + ": tensor \"v\": no such tensor in the file; it has \"w\"");
    }

    @Test
    void fileShorterThanTheLengthField() throws IOException {
        Path file = raw(new byte[] {1, 0, 0});
        assertError(file, file + ": file is 3 bytes, too short for the 8-byte header length that starts a safetensors file");
    }

    @Test
    void headerLengthOverTheLimit() throws IOException {
        Path file = raw(ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(100_000_001L).array());
        assertError(file, file + ": header length 100000001 bytes is over the limit of 100000000"
                + " (not a safetensors file, or a corrupt one)");
    }

    @Test
    void headerLengthIsUnsigned() throws IOException {
        Path file = raw(ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(-1L).array());
        assertError(file, file + ": header length 18446744073709551615 bytes is over the limit of 100000000"
                + " (not a safetensors file, or a corrupt one)");
    }

    @Test
    void headerLengthPastTheEndOfTheFile() throws IOException {
        Path file = raw(ByteBuffer.allocate(20).order(ByteOrder.LITTLE_ENDIAN).putLong(13).array());
        assertError(file, file + ": header length 13 bytes runs past the end of the file (20 bytes; truncated?)");
    }

    @Test
    void headerNotUtf8() throws IOException {
        Path file = raw(ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN)
                .putLong(8).put(new byte[] {'{', (byte) 0xFF, '}', ' ', ' ', ' ', ' ', ' '}).array());
        assertError(file, file + ": header is not valid UTF-8");
    }

    @Test
    void headerNotAnObject() throws IOException {
        Path file = handBuilt("[1, 2]", new byte[0]);
        assertError(file, file + ": header does not start with '{', so it is not a JSON object (not a safetensors file?)");
    }

    @Test
    void headerNotJson() throws IOException {
        Path file = handBuilt("{\"a\": }", new byte[0]);
        assertThatThrownBy(() -> SafeTensors.read(file))
                .isInstanceOf(ModelFormatException.class)
                .hasMessageStartingWith(file + ": header is not valid JSON: Unexpected character ('}'")
                .hasMessageEndingWith("(at character 6 of the header)")
                .message().doesNotContain("\n");
    }

    @Test
    void headerWithTrailingGarbage() throws IOException {
        Path file = handBuilt("{} {}", new byte[0]);
        assertThatThrownBy(() -> SafeTensors.read(file))
                .isInstanceOf(ModelFormatException.class)
                .hasMessageStartingWith(file + ": header is not valid JSON: Trailing token");
    }

    @Test
    void headerWithDuplicateTensorName() throws IOException {
        String entry = "{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}";
        Path file = handBuilt("{\"w\":" + entry + ",\"w\":" + entry + "}", f32(1f));
        assertThatThrownBy(() -> SafeTensors.read(file))
                .isInstanceOf(ModelFormatException.class)
                .hasMessageStartingWith(file + ": header is not valid JSON: Duplicate field 'w'");
    }

    static Stream<Arguments> malformedEntries() {
        return Stream.of(
                Arguments.of("\"w\":[1]", "tensor \"w\": header entry is an array, expected an object with dtype, shape and data_offsets"),
                Arguments.of("\"w\":{\"dtype\":\"F32\"}", "tensor \"w\": header entry has no shape, no data_offsets"),
                Arguments.of("\"w\":{\"shape\":[1],\"data_offsets\":[0,4]}", "tensor \"w\": header entry has no dtype"),
                Arguments.of("\"w\":{\"dtype\":32,\"shape\":[1],\"data_offsets\":[0,4]}", "tensor \"w\": dtype is a number, expected a string such as \"F32\""),
                Arguments.of("\"w\":{\"dtype\":\"I64\",\"shape\":[1],\"data_offsets\":[0,4]}", "tensor \"w\": dtype \"I64\" is not supported; readable dtypes are F32, F64, F16 and BF16"),
                Arguments.of("\"w\":{\"dtype\":\"f32\",\"shape\":[1],\"data_offsets\":[0,4]}", "tensor \"w\": dtype \"f32\" is not supported; readable dtypes are F32, F64, F16 and BF16"),
                Arguments.of("\"w\":{\"dtype\":\"F32\",\"shape\":4,\"data_offsets\":[0,4]}", "tensor \"w\": shape is a number, expected an array of sizes"),
                Arguments.of("\"w\":{\"dtype\":\"F32\",\"shape\":[1,\"2\"],\"data_offsets\":[0,4]}", "tensor \"w\": shape [1,\"2\"] must hold integers, but dimension 1 is \"2\""),
                Arguments.of("\"w\":{\"dtype\":\"F32\",\"shape\":[1.5],\"data_offsets\":[0,4]}", "tensor \"w\": shape [1.5] must hold integers, but dimension 0 is 1.5"),
                Arguments.of("\"w\":{\"dtype\":\"F32\",\"shape\":[2,-1],\"data_offsets\":[0,4]}", "tensor \"w\": shape [2, -1] has a negative dimension"),
                Arguments.of("\"w\":{\"dtype\":\"F32\",\"shape\":[4294967296],\"data_offsets\":[0,4]}", "tensor \"w\": shape [4294967296] has more elements than a Java array can hold"),
                Arguments.of("\"w\":{\"dtype\":\"F32\",\"shape\":[65536,65536],\"data_offsets\":[0,4]}", "tensor \"w\": shape [65536, 65536] has more elements than a Java array can hold"),
                Arguments.of("\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0]}", "tensor \"w\": data_offsets is [0], expected [begin, end] with two non-negative integers"),
                Arguments.of("\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[-4,0]}", "tensor \"w\": data_offsets is [-4,0], expected [begin, end] with two non-negative integers"),
                Arguments.of("\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[8,4]}", "tensor \"w\": data_offsets [8, 4] end before they begin"),
                Arguments.of("\"w\":{\"dtype\":\"F32\",\"shape\":[2,3],\"data_offsets\":[0,4]}", "tensor \"w\": shape [2, 3] of F32 needs 24 bytes, but data_offsets [0, 4] cover 4"),
                Arguments.of("\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}", "tensor \"w\": data_offsets [0, 8] run past the end of the data buffer, which has 4 bytes (file truncated?)"),
                Arguments.of("\"__metadata__\":[]", "__metadata__ is an array, expected an object of strings"),
                Arguments.of("\"__metadata__\":{\"epochs\":3}", "__metadata__ entry \"epochs\" is a number, expected a string"));
    }

    @ParameterizedTest
    @MethodSource("malformedEntries")
    void malformedEntry(String entry, String problem) throws IOException {
        Path file = handBuilt("{" + entry + "}", f32(1f));
        assertError(file, file + ": " + problem);
    }

    @Test
    void overlappingTensors() throws IOException {
        String header = "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}";
        Path file = handBuilt(header, f32(1, 2, 3));
        assertError(file, file + ": tensor \"b\": data_offsets [4, 12] overlap those of tensor \"a\" [0, 8]");
    }

    @Test
    void emptyTensorInsideAnotherOverlaps() throws IOException {
        String header = "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                + "\"e\":{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[4,4]}}";
        Path file = handBuilt(header, f32(1, 2));
        assertError(file, file + ": tensor \"e\": data_offsets [4, 4] overlap those of tensor \"a\" [0, 8]");
    }

    @Test
    void gapBetweenTensors() throws IOException {
        String header = "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[8,12]}}";
        Path file = handBuilt(header, f32(1, 2, 3));
        assertError(file, file + ": tensor \"b\": data_offsets [8, 12] leave bytes [4, 8) of the data buffer unused;"
                + " tensors must cover it without gaps");
    }

    @Test
    void gapAtTheStart() throws IOException {
        Path file = handBuilt("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", f32(1, 2));
        assertError(file, file + ": tensor \"a\": data_offsets [4, 8] leave bytes [0, 4) of the data buffer unused;"
                + " tensors must cover it without gaps");
    }

    @Test
    void bufferNotFullyCovered() throws IOException {
        Path file = handBuilt("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", f32(1, 2));
        assertError(file, file + ": the data buffer has 8 bytes but the tensors cover only 4;"
                + " bytes [4, 8) belong to no tensor");
    }

    @Test
    void truncatedFile() throws IOException {
        Path file = dir.resolve("model.safetensors");
        SafeTensors.write(file, Map.of("w", tensor(new float[] {1, 2, 3, 4, 5, 6}, 2, 3)));
        byte[] whole = Files.readAllBytes(file);
        Files.write(file, Arrays.copyOf(whole, whole.length - 3));
        assertError(file, file + ": tensor \"w\": data_offsets [0, 24] run past the end of the data buffer,"
                + " which has 21 bytes (file truncated?)");
    }

    @Test
    void truncatedInsideTheHeader() throws IOException {
        Path file = dir.resolve("model.safetensors");
        SafeTensors.write(file, Map.of("w", tensor(new float[] {1}, 1)));
        byte[] whole = Files.readAllBytes(file);
        Files.write(file, Arrays.copyOf(whole, 20));
        long n = ByteBuffer.wrap(whole, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        assertError(file, file + ": header length " + n + " bytes runs past the end of the file (20 bytes; truncated?)");
    }

    @Test
    void hostileTensorNameCannotBreakTheMessageOverLines() throws IOException {
        Path file = handBuilt("{\"evil\\nname\":{\"dtype\":\"Q4\",\"shape\":[],\"data_offsets\":[0,4]}}", f32(1));
        assertError(file, file + ": tensor \"evil\\nname\": dtype \"Q4\" is not supported;"
                + " readable dtypes are F32, F64, F16 and BF16");
    }

    @Test
    void exceptionCarriesTheTensorName() throws IOException {
        Path file = handBuilt("{\"w\":{\"dtype\":\"I8\",\"shape\":[4],\"data_offsets\":[0,4]}}", f32(1));
        assertThatThrownBy(() -> SafeTensors.read(file))
                .isInstanceOfSatisfying(ModelFormatException.class, e -> {
                    assertThat(e.file()).isEqualTo(file);
                    assertThat(e.tensor()).isEqualTo("w");
                });
    }
}
