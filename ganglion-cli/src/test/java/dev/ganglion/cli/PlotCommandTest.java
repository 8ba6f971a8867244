package dev.ganglion.cli;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import javax.xml.parsers.DocumentBuilderFactory;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code ganglion plot ...} as a user runs it: files written, wrong inputs refused with one line and exit code 2. */
class PlotCommandTest {
    @TempDir
    static Path dir;
    static Path moons, moonsModel, font, fontModel;

    @BeforeAll
    static void trainModels() throws Exception {
        moons = ReportBrowserTest.moons(dir, 300);
        moonsModel = dir.resolve("moons-model");
        Cli a = Cli.run("train", "--data", moons.toString(), "--label", "moon", "--layers", "6:tanh,1:sigmoid",
                "--normalize", "standard", "--epochs", "10", "--quiet", "--out", moonsModel.toString());
        assertThat(a.exitCode()).as(a.err()).isZero();
        font = dir.resolve("font.csv");
        assertThat(Cli.run("generate", "font", "--samples", "300", "--out", font.toString()).exitCode()).isZero();
        fontModel = dir.resolve("font-model");
        Cli b = Cli.run("train", "--data", font.toString(), "--label", "light_font", "--layers", "3:relu,1:sigmoid",
                "--scale", "255", "--epochs", "5", "--quiet", "--out", fontModel.toString());
        assertThat(b.exitCode()).as(b.err()).isZero();
    }

    private static BufferedImage png(Path f) throws Exception {
        BufferedImage img = ImageIO.read(f.toFile());
        assertThat(img).as(f + " is a PNG").isNotNull();
        assertThat(ReportBrowserTest.nonWhiteShare(img)).isGreaterThan(0.01);
        return img;
    }

    private static String svg(Path f) throws Exception {
        var doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(f.toFile());
        assertThat(doc.getDocumentElement().getTagName()).isEqualTo("svg");
        return doc.getDocumentElement().getTextContent();
    }

    @Test
    void activationsAllOrChosenOrTheModels() throws Exception {
        Path all = dir.resolve("act.png"), some = dir.resolve("some.svg"), model = dir.resolve("model-act.svg");
        Cli r = Cli.run("plot", "activations", "--out", all.toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("wrote " + all, "1200x");
        png(all);
        assertThat(Cli.run("plot", "activations", "--functions", "sigmoid,leaky_relu(0.2)", "--out", some.toString()).exitCode()).isZero();
        assertThat(svg(some)).contains("sigmoid", "leaky_relu(0.2)").doesNotContain("tanh");
        assertThat(Cli.run("plot", "activations", "--model", moonsModel.toString(), "--out", model.toString()).exitCode()).isZero();
        assertThat(svg(model)).contains("tanh", "sigmoid").doesNotContain("relu");
    }

    @Test
    void networkOfATrainedModel() throws Exception {
        Path out = dir.resolve("net.svg");
        Cli r = Cli.run("plot", "network", "--model", fontModel.toString(), "--out", out.toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(svg(out)).contains("red", "green", "blue", "3 relu", "1 sigmoid", "p(1)");
    }

    @Test
    void boundaryOfATwoInputClassifier() throws Exception {
        Path out = dir.resolve("boundary.png");
        Cli r = Cli.run("plot", "boundary", "--model", moonsModel.toString(), "--data", moons.toString(), "--out", out.toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        BufferedImage img = png(out);
        assertThat(img.getWidth()).isEqualTo(720);
    }

    @Test
    void boundaryOfAThreeInputModelNamesItsInputs() {
        Cli r = Cli.run("plot", "boundary", "--model", fontModel.toString(), "--data", font.toString(), "--out", dir.resolve("x.png").toString());
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("exactly 2 inputs", "has 3 [red, green, blue]").doesNotContain("Exception", "\tat ");
        assertThat(r.err().strip().lines()).hasSize(1);
        assertThat(dir.resolve("x.png")).doesNotExist();
    }

    @Test
    void confusionMatrixOnLabelledData() throws Exception {
        Path out = dir.resolve("confusion.svg");
        Cli r = Cli.run("plot", "confusion", "--model", moonsModel.toString(), "--data", moons.toString(), "--out", out.toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(svg(out)).contains("upper", "lower", "true class", "predicted class", "300 samples");
    }

    @Test
    void historyFromACsvFile() throws Exception {
        Path csv = dir.resolve("history.csv");
        Files.writeString(csv, "epoch,train_loss,train_accuracy,val_loss,val_accuracy\n1,0.9,0.5,1.0,0.4\n2,0.5,0.7,0.6,0.65\n3,0.3,0.9,0.4,0.8\n");
        Path out = dir.resolve("history.svg");
        Cli r = Cli.run("plot", "history", "--history", csv.toString(), "--out", out.toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(svg(out)).contains("train loss", "validation loss", "train accuracy", "validation accuracy", "epoch");
        // the layout train writes next to a model: training figures as loss/accuracy, test_* without a validation split,
        // empty cells for what does not apply
        Files.writeString(csv, "epoch,loss,accuracy,test_loss,test_accuracy,learning_rate,seconds\n"
                + "1,0.27797511466106967,,0.2805951051037721,,0.05,0.07\n2,0.1484974419892724,,0.14324266838304925,,0.05,0.08\n");
        Cli written = Cli.run("plot", "history", "--history", csv.toString(), "--out", out.toString());
        assertThat(written.exitCode()).as(written.err()).isZero();
        assertThat(svg(out)).contains("train loss", "test loss", "Loss per epoch").doesNotContain("accuracy");
                Files.writeString(csv, "epoch,train_loss\n1,abc\n");
        Cli bad = Cli.run("plot", "history", "--history", csv.toString(), "--out", out.toString());
        assertThat(bad.exitCode()).isEqualTo(2);
        assertThat(bad.err()).contains("history.csv", "line 2", "abc");
    }

    @Test
    void historyNeedsAHistoryFile() throws Exception {
        Path model = dir.resolve("copy");
        Files.createDirectories(model);
        Files.copy(moonsModel.resolve("config.json"), model.resolve("config.json"));
        Cli r = Cli.run("plot", "history", "--model", model.toString(), "--out", dir.resolve("h.png").toString());
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("has no history.csv");
    }

    @Test
    void reportOfARegressionRunHasOnlyThePicturesThatApply() throws Exception {
        Path data = dir.resolve("reg.csv");
        assertThat(Cli.run("generate", "regression", "--samples", "200", "--out", data.toString()).exitCode()).isZero();
        Path report = dir.resolve("reg-report");
        Cli r = Cli.run("train", "--data", data.toString(), "--label", "y", "--layers", "8:tanh,1", "--epochs", "5",
                "--quiet", "--out", dir.resolve("reg-model").toString(), "--report", report.toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        try (var files = Files.list(report)) {
            assertThat(files.map(f -> f.getFileName().toString()).sorted().toList()).containsExactly(
                    "activations.png", "activations.svg", "history.png", "history.svg", "index.html", "network.png", "network.svg");
        }
        String html = Files.readString(report.resolve("index.html"));
        assertThat(html.split("<img ", -1)).hasSize(4);
        assertThat(html).contains("x1, x2", "mse").doesNotContain("accuracy");
    }

    @Test
    void wrongInputsAreOneLineErrors() {
        Cli ext = Cli.run("plot", "network", "--model", fontModel.toString(), "--out", dir.resolve("net.jpg").toString());
        assertThat(ext.exitCode()).isEqualTo(2);
        assertThat(ext.err()).contains("must end in .png or .svg");
        Cli fn = Cli.run("plot", "activations", "--functions", "relu,wobble", "--out", dir.resolve("a.png").toString());
        assertThat(fn.exitCode()).isEqualTo(2);
        assertThat(fn.err()).contains("unknown activation \"wobble\"");
        Cli softmax = Cli.run("plot", "activations", "--functions", "softmax", "--out", dir.resolve("a.png").toString());
        assertThat(softmax.exitCode()).isEqualTo(2);
        assertThat(softmax.err()).contains("softmax is not element-wise");
        Cli none = Cli.run("plot");
        assertThat(none.exitCode()).isEqualTo(2);
        assertThat(none.err()).contains("activations, history, boundary, confusion or network");
        Cli missing = Cli.run("plot", "network", "--model", dir.resolve("nope").toString(), "--out", dir.resolve("n.png").toString());
        assertThat(missing.exitCode()).isEqualTo(2);
        assertThat(missing.err()).contains("nope");
    }
}
