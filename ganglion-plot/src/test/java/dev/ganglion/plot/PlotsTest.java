package dev.ganglion.plot;

import dev.ganglion.data.Scaler;
import dev.ganglion.metrics.Classification;
import dev.ganglion.metrics.ConfusionMatrix;
import dev.ganglion.model.LayerSpec;
import dev.ganglion.model.Model;
import dev.ganglion.nn.Activation;
import dev.ganglion.nn.Loss;
import dev.ganglion.tensor.Tensor;
import dev.ganglion.train.EpochStats;
import dev.ganglion.train.History;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PlotsTest {
    @TempDir
    Path dir;

    static History history(int epochs, boolean accuracy) {
        List<EpochStats> e = new ArrayList<>();
        for (int i = 1; i <= epochs; i++) {
            double loss = 1.0 / i, val = 1.1 / i + 0.01 * i / epochs;
            e.add(new EpochStats(i, loss, accuracy ? 1 - 0.5 / i : Double.NaN, val, accuracy ? 1 - 0.6 / i : Double.NaN, 0.01, 0.1));
        }
        return new History(e);
    }

    @Test
    void lossCurvesHaveBothPanelsAndLabelledAxes() throws Exception {
        Picture p = Plots.lossCurves(history(40, true));
        List<String> texts = PictureChecks.assertBoth(p, dir, "loss");
        assertThat(texts).contains("epoch", "loss", "accuracy", "train loss", "validation loss", "train accuracy",
                "validation accuracy");
    }

    @Test
    void regressionHistoryHasOnlyTheLossPanel() throws Exception {
        Picture p = Plots.lossCurves(history(5, false), "test");
        List<String> texts = PictureChecks.assertBoth(p, dir, "loss");
        assertThat(texts).contains("epoch", "loss", "train loss", "test loss").doesNotContain("accuracy");
    }

    @Test
    void emptyHistoryIsAnError() {
        assertThatThrownBy(() -> Plots.lossCurves(new History(List.of()))).hasMessageContaining("history is empty");
    }

    @Test
    void activationPanelsNameEveryFunction() throws Exception {
        Picture p = Plots.activations();
        List<String> texts = PictureChecks.assertBoth(p, dir, "activations");
        for (Activation a : Plots.ALL_ACTIVATIONS) assertThat(texts).contains(a.name());
        assertThat(texts).contains("z");
    }

    @Test
    void activationDerivativesComeFromAutograd() {
        ActivationCurves.Curve sig = ActivationCurves.curve(new Activation.Sigmoid());
        ActivationCurves.Curve relu = ActivationCurves.curve(new Activation.Relu());
        ActivationCurves.Curve tanh = ActivationCurves.curve(new Activation.Tanh());
        for (int i = 0; i < sig.z().length; i++) {
            double s = sig.value()[i];
            assertThat(sig.derivative()[i]).isCloseTo(s * (1 - s), org.assertj.core.data.Offset.offset(1e-5));
            double t = tanh.value()[i];
            assertThat(tanh.derivative()[i]).isCloseTo(1 - t * t, org.assertj.core.data.Offset.offset(1e-5));
            double z = relu.z()[i];
            if (z > 0) assertThat(relu.derivative()[i]).isEqualTo(1.0);
            if (z < 0) assertThat(relu.derivative()[i]).isEqualTo(0.0);
        }
        assertThatThrownBy(() -> Plots.activations(List.of(new Activation.Softmax()))).hasMessageContaining("softmax");
    }

    @Test
    void confusionMatrixWritesCountsAndClassNames() throws Exception {
        int[] truth = {0, 0, 0, 1, 1, 2, 2, 2, 2, 1, 0};
        int[] pred = {0, 0, 1, 1, 1, 2, 2, 0, 2, 2, 0};
        ConfusionMatrix m = Classification.confusionMatrix(truth, pred, 3);
        Picture p = Plots.confusionMatrix(m, List.of("cat", "dog", "bird"));
        List<String> texts = PictureChecks.assertBoth(p, dir, "confusion");
        assertThat(texts).contains("cat", "dog", "bird", "predicted class", "true class");
        // every cell's count appears as text: 3 cat->cat, 1 cat->dog, 0 cat->bird, ...
        List<String> counts = texts.stream().filter(t -> t.matches("\\d+")).toList();
        assertThat(counts).containsExactlyInAnyOrder("3", "1", "0", "0", "2", "1", "1", "0", "3");
    }

    @Test
    void networkDiagramLabelsLayersAndInputs() throws Exception {
        Model m = XorModel.build();
        List<String> texts = PictureChecks.assertBoth(Plots.network(m), dir, "network");
        assertThat(texts).contains("x1", "x2", "input", "hidden 1", "output", "p(different)", "2 sigmoid", "1 sigmoid");
        assertThat(texts).noneMatch(t -> t.contains(NetworkDiagram.ELLIPSIS));
    }

    @Test
    void wideLayersAreCappedWithAnEllipsis() throws Exception {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < 30; i++) names.add("pixel" + i);
        Model m = new Model(names, LayerSpec.parseList("64:relu,10:softmax", null), new Loss.CrossEntropy(List.of()),
                new Scaler.None(), "digit", List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9"), 3L);
        Path svg = dir.resolve("wide.svg");
        Picture p = Plots.network(m);
        p.writeSvg(svg);
        List<String> texts = PictureChecks.assertSvg(svg, p.width(), p.height());
        assertThat(texts).filteredOn(t -> t.equals(NetworkDiagram.ELLIPSIS)).hasSize(2);
        assertThat(texts).contains("21 more", "55 more", "pixel0", "pixel29", "64 relu", "10 softmax").doesNotContain("pixel10");
        // 9 shown neurons per capped column: 9*9 + 9*10 lines between them
        String doc = Files.readString(svg);
        assertThat(doc.split("<line", -1).length - 1).isEqualTo(9 * 9 + 9 * 10);
    }

    @Test
    void decisionBoundaryNeedsTwoInputs() {
        Model three = new Model(List.of("r", "g", "b"), LayerSpec.parseList("3:relu,1:sigmoid", null),
                new Loss.BinaryCrossEntropy(), new Scaler.None(), "light", List.of("dark", "light"), 1L);
        assertThatThrownBy(() -> Plots.decisionBoundary(three, Tensor.zeros(4, 3), null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("exactly 2 inputs").hasMessageContaining("has 3 [r, g, b]");
        assertThat(Plots.canDrawDecisionBoundary(three)).isFalse();
        Model regression = new Model(List.of("a", "b"), LayerSpec.parseList("1", null), new Loss.MeanSquaredError(),
                new Scaler.None(), "y", List.of(), 1L);
        assertThatThrownBy(() -> Plots.decisionBoundary(regression, Tensor.zeros(4, 2), null))
                .hasMessageContaining("regression");
        assertThatThrownBy(() -> Plots.decisionBoundary(XorModel.build(), Tensor.zeros(4, 3), null))
                .hasMessageContaining("2 feature columns").hasMessageContaining("[4, 3]");
    }

    @Test
    void decisionBoundaryFilesAreValid() throws Exception {
        Picture p = Plots.decisionBoundary(XorModel.build(), XorModel.points(), XorModel.labels());
        List<String> texts = PictureChecks.assertBoth(p, dir, "boundary");
        assertThat(texts).contains("x1", "x2", "same", "different");
    }

    @Test
    void reportPageReferencesItsPictures() throws Exception {
        HtmlReport r = new HtmlReport("Run <1>")
                .table("Settings", java.util.Map.of("epochs", 3))
                .figure("network", "the network", Plots.network(XorModel.build()));
        Path index = r.write(dir);
        String html = Files.readString(index);
        assertThat(html).contains("<title>Run &lt;1&gt;</title>", "src=\"network.png\"", "href=\"network.svg\"")
                .doesNotContain("http://", "https://", "<script");
        assertThat(dir.resolve("network.png")).exists();
        assertThat(dir.resolve("network.svg")).exists();
        assertThatThrownBy(() -> r.figure("../evil", "x", Plots.activations())).hasMessageContaining("figure name");
    }

    @Test
    void writeRejectsUnknownExtensionsAndLeavesNoTemporaryFiles() throws Exception {
        Picture p = Plots.activations(List.of(new Activation.Relu()));
        assertThatThrownBy(() -> p.write(dir.resolve("a.jpg"))).hasMessageContaining("must end in .png or .svg");
        p.write(dir.resolve("a.png"));
        p.write(dir.resolve("a.svg"));
        p.write(dir.resolve("a.png"));
        try (var files = Files.list(dir)) {
            assertThat(files.map(f -> f.getFileName().toString()).sorted().toList()).containsExactly("a.png", "a.svg");
        }
    }
}
