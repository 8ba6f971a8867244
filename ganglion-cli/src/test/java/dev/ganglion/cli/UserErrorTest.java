package dev.ganglion.cli;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** Every user mistake gives one clear line on stderr and exit code 2, and no stack trace. */
class UserErrorTest {
    @TempDir
    Path dir;
    Path model;

    @BeforeEach
    void trainSmallModel() throws IOException {
        Path csv = dir.resolve("ok.csv");
        Files.writeString(csv, "red,green,blue,light_font\n0,0,0,1\n255,255,255,0\n10,20,30,1\n250,240,230,0\n");
        model = dir.resolve("model");
        Cli t = Cli.run("train", "--data", csv.toString(), "--label", "light_font", "--layers", "3:relu,1:sigmoid",
                "--epochs", "2", "--test-split", "0", "--quiet", "--out", model.toString());
        assertThat(t.exitCode()).as(t.err()).isZero();
    }

    private Cli expectUserError(String... args) {
        Cli r = Cli.run(args);
        assertThat(r.exitCode()).as("exit code; stderr: %s", r.err()).isEqualTo(2);
        assertThat(r.err()).startsWith("ganglion: ").doesNotContain("\tat ").doesNotContain("Exception");
        return r;
    }

    private Path csv(String name, String content) throws IOException {
        Path f = dir.resolve(name);
        Files.writeString(f, content);
        return f;
    }

    private String[] train(Path data, String... more) {
        String[] base = {"train", "--data", data.toString(), "--label", "label", "--layers", "3:relu,1:sigmoid",
                "--out", dir.resolve("out").toString(), "--quiet"};
        String[] all = java.util.Arrays.copyOf(base, base.length + more.length);
        System.arraycopy(more, 0, all, base.length, more.length);
        return all;
    }

    @Test
    void missingFile() {
        Cli r = expectUserError(train(dir.resolve("absent.csv")));
        assertThat(r.err()).contains("absent.csv").contains("no such file");
    }

    @Test
    void unknownColumnListsTheColumns() throws IOException {
        Path f = csv("a.csv", "a,b,c\n1,2,0\n3,4,1\n");
        Cli r = expectUserError(train(f));
        assertThat(r.err()).contains("a.csv").contains("\"label\"").contains("\"a\", \"b\", \"c\"");
    }

    @Test
    void nonNumericCellNamesLineAndColumn() throws IOException {
        Path f = csv("b.csv", "a,b,label\n1,2,0\n3,oops,1\n");
        Cli r = expectUserError(train(f));
        assertThat(r.err()).contains("b.csv").contains("line 3").contains("\"b\"").contains("oops");
    }

    @Test
    void nanInData() throws IOException {
        Path f = csv("n.csv", "a,b,label\n1,NaN,0\n3,4,1\n");
        Cli r = expectUserError(train(f));
        assertThat(r.err()).contains("n.csv").contains("line 2").contains("\"b\"");
    }

    @Test
    void oneClassOnly() throws IOException {
        Path f = csv("o.csv", "a,b,label\n1,2,1\n3,4,1\n");
        Cli r = expectUserError(train(f));
        assertThat(r.err()).contains("o.csv").contains("only one class");
    }

    @Test
    void unknownActivation() throws IOException {
        Path f = csv("u.csv", "a,b,label\n1,2,0\n3,4,1\n");
        Cli r = expectUserError("train", "--data", f.toString(), "--label", "label", "--layers", "3:rleu,1:sigmoid",
                "--out", dir.resolve("out").toString());
        assertThat(r.err()).contains("unknown activation \"rleu\"").contains("relu");
    }

    @Test
    void wrongNumberOfInputsAtPredict() {
        Cli r = expectUserError("predict", "--model", model.toString(), "--input", "1,2");
        assertThat(r.err()).contains("2 values").contains("expects 3").contains("[red, green, blue]");
    }

    @Test
    void predictCsvMissingAModelColumn() throws IOException {
        Path f = csv("p.csv", "red,green\n1,2\n");
        Cli r = expectUserError("predict", "--model", model.toString(), "--data", f.toString());
        assertThat(r.err()).contains("p.csv").contains("\"blue\"");
    }

    @Test
    void missingModelDirectory() {
        Cli r = expectUserError("predict", "--model", dir.resolve("nothing").toString(), "--input", "1,2,3");
        assertThat(r.err()).contains("nothing").contains("no such model directory");
    }

    @Test
    void corruptConfigNamesTheKey() throws IOException {
        String config = Files.readString(model.resolve("config.json")).replace("\"units\" : 3", "\"units\" : \"three\"");
        Files.writeString(model.resolve("config.json"), config);
        Cli r = expectUserError("predict", "--model", model.toString(), "--input", "1,2,3");
        assertThat(r.err()).contains("config.json").contains("layers[0].units").contains("integer");
    }

    @Test
    void truncatedWeightsFile() throws IOException {
        Path w = model.resolve("model.safetensors");
        byte[] bytes = Files.readAllBytes(w);
        Files.write(w, java.util.Arrays.copyOf(bytes, bytes.length - 4));
        Cli r = expectUserError("predict", "--model", model.toString(), "--input", "1,2,3");
        assertThat(r.err()).contains("model.safetensors");
    }

    @Test
    void outputLayerDoesNotMatchClasses() throws IOException {
        Path f = csv("c.csv", "a,b,label\n1,2,0\n3,4,1\n5,6,2\n");
        Cli r = expectUserError(train(f));
        assertThat(r.err()).contains("3 classes").contains("softmax");
    }

    @Test
    void divergenceSuggestsASmallerLearningRate() throws IOException {
        StringBuilder sb = new StringBuilder("x,label\n");
        for (int i = 0; i < 50; i++) sb.append(i * 1000).append(',').append(i * 5000).append('\n');
        Path f = csv("d.csv", sb.toString());
        Cli r = expectUserError("train", "--data", f.toString(), "--label", "label", "--layers", "1",
                "--optimizer", "sgd", "--lr", "10", "--epochs", "50", "--out", dir.resolve("out").toString(), "--quiet");
        assertThat(r.err()).contains("diverged").contains("smaller learning rate");
        assertThat(dir.resolve("out")).doesNotExist();
    }

    @Test
    void badOptionValue() {
        Cli r = expectUserError("train", "--data", "x.csv", "--label", "l", "--layers", "1", "--out", "o", "--epochs", "many");
        assertThat(r.err()).contains("--epochs").contains("many");
    }

    @Test
    void existingModelSurvivesAFailedRun() throws IOException {
        byte[] before = Files.readAllBytes(model.resolve("model.safetensors"));
        Path f = csv("bad.csv", "red,green,blue,light_font\n1,2,x,0\n");
        Cli r = expectUserError("train", "--data", f.toString(), "--label", "light_font", "--layers", "3:relu,1:sigmoid",
                "--out", model.toString());
        assertThat(r.err()).contains("line 2");
        assertThat(Files.readAllBytes(model.resolve("model.safetensors"))).isEqualTo(before);
    }

    @Test
    void verboseShowsTheStackTrace() {
        Cli r = Cli.run("--verbose", "predict", "--model", dir.resolve("nothing").toString(), "--input", "1,2,3");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("\tat ");
    }
}
