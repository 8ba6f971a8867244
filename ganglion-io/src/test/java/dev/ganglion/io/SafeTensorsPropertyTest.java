package dev.ganglion.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

/** Any tensors written can be read back bit for bit, in the same order. */
class SafeTensorsPropertyTest {

    @Property(tries = 60)
    void writeThenReadIsIdentity(@ForAll("tensorLists") @Size(max = 5) List<FloatTensorData> list) throws IOException {
        Map<String, FloatTensorData> tensors = new LinkedHashMap<>();
        for (int i = 0; i < list.size(); i++) {
            tensors.put("layer" + (list.size() - i) + ".weight", list.get(i));
        }
        Path dir = Files.createTempDirectory("safetensors-property");
        Path file = dir.resolve("m.safetensors");
        try {
            SafeTensors.write(file, tensors, Map.of("tries", "yes"));
            SafeTensorsFile read = SafeTensors.read(file);
            assertThat(read.tensors()).containsExactlyEntriesOf(tensors);
            assertThat(read.metadata()).containsExactly(Map.entry("tries", "yes"));
            long header = Files.size(file) - 4L * list.stream().mapToInt(FloatTensorData::size).sum() - 8;
            assertThat(header % 8).isZero();
        } finally {
            try {
                Files.deleteIfExists(file);
                Files.delete(dir);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    @Provide
    Arbitrary<List<FloatTensorData>> tensorLists() {
        Arbitrary<int[]> shapes = Arbitraries.integers().between(0, 5).array(int[].class).ofMaxSize(4);
        Arbitrary<FloatTensorData> tensors = shapes.flatMap(shape -> {
            int n = 1;
            for (int d : shape) {
                n *= d;
            }
            return Arbitraries.floats().withSpecialValue(Float.NaN).withSpecialValue(-0f)
                    .withSpecialValue(Float.POSITIVE_INFINITY)
                    .array(float[].class).ofSize(n)
                    .map(data -> new FloatTensorData(shape, data));
        });
        return tensors.list();
    }
}
