package dev.ganglion.io;

import dev.ganglion.train.EpochStats;
import dev.ganglion.train.History;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** history.csv: written atomically next to the model, read back into the same History. */
class HistoryCsvTest {
    @TempDir
    Path dir;

    @Test
    void roundTripsThroughTheModelDirectory() throws IOException {
        History h = new History(List.of(
                new EpochStats(1, 0.6931471805599453, 0.5, 0.7, 0.45, 0.01, 0.123456789),
                new EpochStats(2, 0.31, 0.875, 0.33, 0.8125, 0.005, 0.1),
                new EpochStats(3, 1e-9, Double.NaN, Double.NaN, Double.NaN, 1.0E-4, 2.5)));
        ModelStore.saveHistory(dir, h, "val");
        Path file = dir.resolve(HistoryCsv.FILE);
        List<String> lines = Files.readAllLines(file);
        assertThat(lines).hasSize(4);
        assertThat(lines.get(0)).isEqualTo("epoch,loss,accuracy,val_loss,val_accuracy,learning_rate,seconds");
        assertThat(lines.get(1)).isEqualTo("1,0.6931471805599453,0.5,0.7,0.45,0.01,0.123456789");
        assertThat(lines.get(3)).isEqualTo("3,1.0E-9,,,,1.0E-4,2.5");        // NaN: empty cells
        assertThat(Files.list(dir).map(p -> p.getFileName().toString())).containsExactly(HistoryCsv.FILE);   // no temp file left
        History back = ModelStore.loadHistory(dir);
        assertThat(back).isEqualTo(h);
    }

    @Test
    void theTestColumnsAreNamedSo() {
        History h = new History(List.of(new EpochStats(1, 0.5, 0.75, 0.6, 0.7, 0.1, 0.2)));
        String csv = HistoryCsv.toCsv(h, "test");
        assertThat(csv).startsWith("epoch,loss,accuracy,test_loss,test_accuracy,learning_rate,seconds\n");
        assertThat(csv.lines().count()).isEqualTo(2);
    }

    @Test
    void badFilesNameTheLineAndColumn() throws IOException {
        Path f = dir.resolve(HistoryCsv.FILE);
        Files.writeString(f, "epoch,loss,accuracy,val_loss,val_accuracy,learning_rate,seconds\n1,0.5,,,,0.1,0.2\n2,abc,,,,0.1,0.2\n");
        assertThatThrownBy(() -> HistoryCsv.read(f)).isInstanceOf(DataFormatException.class)
                .hasMessageContaining("line 3").hasMessageContaining("\"loss\"").hasMessageContaining("\"abc\" is not a number");
        Files.writeString(f, "epoch,loss\n1,0.5\n");
        assertThatThrownBy(() -> HistoryCsv.read(f)).isInstanceOf(DataFormatException.class).hasMessageContaining("header must be");
    }
}
