package dev.ganglion.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** Categorical columns, missing values, multi-label classification and several regression outputs, end to end. */
class TabularCliTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private static Cli ok(String... args) {
        Cli r = Cli.run(args);
        assertThat(r.exitCode()).as("ganglion %s%nstderr: %s", String.join(" ", args), r.err()).isZero();
        return r;
    }

    /** bought = 1 for blue shirts, and for red ones of size above 0.5; price is noise. */
    static String shirts(int n, long seed, double missing) {
        SplittableRandom rng = new SplittableRandom(seed);
        String[] colours = {"red", "green", "blue"};
        StringBuilder sb = new StringBuilder("colour,size,price,bought\n");
        for (int i = 0; i < n; i++) {
            String c = colours[rng.nextInt(3)];
            double size = rng.nextDouble();
            int bought = c.equals("blue") || (c.equals("red") && size > 0.5) ? 1 : 0;
            String cs = rng.nextDouble() < missing ? "" : c;
            String ss = rng.nextDouble() < missing ? (rng.nextBoolean() ? "" : "NA") : String.format(Locale.ROOT, "%.3f", size);
            sb.append(cs).append(',').append(ss).append(',').append(String.format(Locale.ROOT, "%.1f", 10 + 40 * rng.nextDouble()))
                    .append(',').append(bought).append('\n');
        }
        return sb.toString();
    }

    private Path write(String name, String content) throws IOException {
        Path f = dir.resolve(name);
        Files.writeString(f, content);
        return f;
    }

    // ------------------------------------------------------------------ categorical

    @Test
    void categoricalColumnsAreOneHotEncodedAndStoredWithTheModel() throws Exception {
        Path csv = write("shirts.csv", shirts(400, 1, 0));
        Path model = dir.resolve("shirts-model");
        Cli t = ok("train", "--data", csv.toString(), "--label", "bought", "--categorical", "colour", "--layers", "8:relu,1:sigmoid",
                "--normalize", "standard", "--lr", "0.05", "--epochs", "40", "--out", model.toString());
        assertThat(t.err()).contains("training 5 -> 8:relu -> 1:sigmoid").contains("one-hot  colour: 3 categories (blue, green, red)");
        JsonNode config = JSON.readTree(model.resolve("config.json").toFile());
        assertThat(config.get("inputs").toString()).isEqualTo("[\"colour\",\"size\",\"price\"]");
        assertThat(config.get("categorical").toString()).isEqualTo("{\"colour\":[\"blue\",\"green\",\"red\"]}");
        assertThat(config.get("preprocessing").get("mean")).as("scaling covers the numeric columns").hasSize(2);

        assertThat(ok("predict", "--model", model.toString(), "--input", "red,0.9,20").out()).endsWith(",1\n");
        assertThat(ok("predict", "--model", model.toString(), "--input", " green , 0.9 , 20").out()).endsWith(",0\n");
        assertThat(ok("predict", "--model", model.toString(), "--input", "red,0.1,20").out()).endsWith(",0\n");

        JsonNode eval = JSON.readTree(ok("evaluate", "--model", model.toString(), "--data", csv.toString(), "--json").out());
        assertThat(eval.get("accuracy").asDouble()).isGreaterThan(0.95);

        // a CSV to predict on names the columns; their order and extra columns do not matter
        Path fresh = write("fresh.csv", "id,price,size,colour\n1,20,0.9,blue\n2,20,0.1,green\n");
        assertThat(ok("predict", "--model", model.toString(), "--data", fresh.toString()).out().lines().toList())
                .hasSize(3).element(1).asString().endsWith(",1");

        Cli trace = ok("trace", "--model", model.toString(), "--input", "red,0.9,20", "--target", "1");
        assertThat(trace.out()).contains("input   colour=red size=0.9 price=20.0")
                .containsPattern("colour=blue +0\\.00000").containsPattern("colour=green +0\\.00000")
                .containsPattern("colour=red +1\\.00000").contains("layer 0: Dense 5 -> 8, relu").contains("predicted class: 1");
        JsonNode traceJson = JSON.readTree(ok("trace", "--model", model.toString(), "--input", "red,0.9,20", "--json").out());
        assertThat(traceJson.get("input").toString()).isEqualTo("[\"red\",0.9,20.0]");
        assertThat(traceJson.get("scaled_input_names").toString())
                .isEqualTo("[\"colour=blue\",\"colour=green\",\"colour=red\",\"size\",\"price\"]");
        assertThat(traceJson.get("scaled_input")).hasSize(5);
    }

    // ------------------------------------------------------------------ missing values

    @Test
    void imputationIsFittedOnTheTrainingDataOnlyAndAppliedAgain() throws Exception {
        // every missing cell of the test file must be filled from the training file's values
        Path train = write("train.csv", "a,c,y\n1,x,0\n,x,1\n3,y,0\n5,,1\n11,y,0\n");
        Path test = write("test.csv", "a,c,y\n1000,x,0\nNA,y,1\n2000,,0\n");
        Path model = dir.resolve("imputed");
        ok("train", "--data", train.toString(), "--test-data", test.toString(), "--label", "y", "--categorical", "c",
                "--impute", "mean", "--layers", "1:sigmoid", "--epochs", "2", "--quiet", "--out", model.toString());
        JsonNode imputation = JSON.readTree(model.resolve("config.json").toFile()).get("imputation");
        assertThat(imputation.get("strategy").asText()).isEqualTo("mean");
        assertThat(imputation.get("values").get("a").asDouble()).isEqualTo(5.0);       // (1 + 3 + 5 + 11) / 4
        assertThat(imputation.get("values").get("c").asText()).as("categories: most frequent, ties to the first").isEqualTo("x");

        ok("train", "--data", train.toString(), "--label", "y", "--categorical", "c", "--impute", "median", "--test-split", "0",
                "--layers", "1:sigmoid", "--epochs", "1", "--quiet", "--out", model.toString());
        assertThat(JSON.readTree(model.resolve("config.json").toFile()).get("imputation").get("values").get("a").asDouble()).isEqualTo(4.0);
        ok("train", "--data", train.toString(), "--label", "y", "--categorical", "c", "--impute", "most_frequent", "--test-split", "0",
                "--layers", "1:sigmoid", "--epochs", "1", "--quiet", "--out", model.toString());
        assertThat(JSON.readTree(model.resolve("config.json").toFile()).get("imputation").get("values").get("a").asDouble()).isEqualTo(1.0);

        // predicting with missing values: the model fills them in as stored
        String filled = ok("predict", "--model", model.toString(), "--input", "1,x").out();
        assertThat(ok("predict", "--model", model.toString(), "--input", "NaN,").out()).isEqualTo(filled);
        assertThat(ok("predict", "--model", model.toString(), "--data", test.toString()).out().lines().count()).isEqualTo(4);
        assertThat(ok("evaluate", "--model", model.toString(), "--data", test.toString()).out()).contains("samples    3");
        assertThat(ok("trace", "--model", model.toString(), "--input", ",").out())
                .contains("input   a=missing→1.0 (most_frequent) c=missing→x (most_frequent)").contains("missing values imputed");
    }

    @Test
    void trainingWithMissingValuesLearns() throws Exception {
        Path csv = write("holes.csv", shirts(500, 2, 0.08));
        Path model = dir.resolve("holes-model");
        JsonNode res = JSON.readTree(ok("train", "--data", csv.toString(), "--label", "bought", "--categorical", "colour",
                "--impute", "median", "--normalize", "minmax", "--layers", "8:relu,1:sigmoid", "--lr", "0.05", "--epochs", "40",
                "--json", "--quiet", "--out", model.toString()).out());
        assertThat(res.get("test_accuracy").asDouble()).isGreaterThan(0.8);
        Cli cv = ok("cv", "--data", csv.toString(), "--label", "bought", "--categorical", "colour", "--impute", "mean",
                "--layers", "8:relu,1:sigmoid", "--epochs", "5", "--folds", "3", "--json");
        assertThat(JSON.readTree(cv.out()).get("folds")).hasSize(3);
    }

    // ------------------------------------------------------------------ multi-label

    /** a = x1 > 0 (0/1), b = x2 > 0 (no/yes), c = x1 + x2 > 0.5 (0/1). */
    static String tags(int n, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        StringBuilder sb = new StringBuilder("x1,x2,a,b,c\n");
        for (int i = 0; i < n; i++) {
            double x1 = rng.nextDouble(-1, 1), x2 = rng.nextDouble(-1, 1);
            sb.append(String.format(Locale.ROOT, "%.4f,%.4f,%d,%s,%d%n", x1, x2, x1 > 0 ? 1 : 0, x2 > 0 ? "yes" : "no", x1 + x2 > 0.5 ? 1 : 0));
        }
        return sb.toString();
    }

    @Test
    void multiLabelClassificationWithIndependentSigmoids() throws Exception {
        Path csv = write("tags.csv", tags(500, 3));
        Path model = dir.resolve("tags-model");
        JsonNode res = JSON.readTree(ok("train", "--data", csv.toString(), "--label", "a,b,c", "--layers", "16:relu,3:sigmoid",
                "--loss", "bce", "--lr", "0.02", "--epochs", "60", "--json", "--quiet", "--out", model.toString()).out());
        assertThat(res.get("test_accuracy").asDouble()).as("exact match").isGreaterThan(0.85);
        JsonNode config = JSON.readTree(model.resolve("config.json").toFile());
        assertThat(config.get("labels").toString()).isEqualTo("[\"a\",\"b\",\"c\"]");
        assertThat(config.get("label_classes").get("b").toString()).isEqualTo("[\"no\",\"yes\"]");

        List<String> one = ok("predict", "--model", model.toString(), "--input", "0.8,-0.7").out().lines().toList();
        assertThat(one.getFirst()).isEqualTo("p_a,p_b,p_c,a,b,c");
        assertThat(one.get(1)).endsWith(",1,no,0");

        // evaluate's exact-match accuracy agrees with predict's decisions
        List<String> predicted = ok("predict", "--model", model.toString(), "--data", csv.toString()).out().lines().toList();
        List<String> truth = Files.readAllLines(csv);
        int exact = 0;
        for (int i = 1; i < truth.size(); i++) {
            String[] t = truth.get(i).split(","), p = predicted.get(i).split(",");
            if (t[2].equals(p[3]) && t[3].equals(p[4]) && t[4].equals(p[5])) exact++;
        }
        JsonNode eval = JSON.readTree(ok("evaluate", "--model", model.toString(), "--data", csv.toString(), "--json").out());
        assertThat(eval.get("accuracy").asDouble()).isCloseTo(exact / 500.0, within(1e-12));
        assertThat(eval.get("label_accuracy").asDouble()).isGreaterThanOrEqualTo(eval.get("accuracy").asDouble());
        assertThat(eval.get("labels")).hasSize(3);
        JsonNode b = eval.get("labels").get(1);
        assertThat(b.get("label").asText()).isEqualTo("b");
        assertThat(b.get("positive").asText()).isEqualTo("yes");
        assertThat(b.get("f1").asDouble()).isGreaterThan(0.9);
        assertThat(b.get("support").asInt()).isEqualTo((int) truth.stream().filter(l -> l.contains(",yes,")).count());
        assertThat(eval.get("macro").get("f1").asDouble()).isGreaterThan(0.85);
        assertThat(eval.has("micro")).isTrue();

        String text = ok("evaluate", "--model", model.toString(), "--data", csv.toString()).out();
        assertThat(text).contains("(exact match: every label right)").contains("per label").containsPattern("\nb +[01]\\.[0-9]{4} ")
                .contains("macro").contains("micro");

        Cli trace = ok("trace", "--model", model.toString(), "--input", "0.8,-0.7", "--target", "1,no,0");
        assertThat(trace.out()).contains("predicted labels: a=1 b=no c=0").contains("loss (bce) against target 1,no,0");

        Cli cv = ok("cv", "--data", csv.toString(), "--label", "a,b,c", "--layers", "8:relu,3:sigmoid", "--epochs", "5", "--folds", "3");
        assertThat(cv.out()).contains("fold 3/3").contains("accuracy");
    }

    // ------------------------------------------------------------------ several regression outputs

    @Test
    void regressionWithSeveralLinearOutputs() throws Exception {
        SplittableRandom rng = new SplittableRandom(5);
        StringBuilder sb = new StringBuilder("x1,x2,y1,y2\n");
        for (int i = 0; i < 400; i++) {
            double x1 = rng.nextDouble(-1, 1), x2 = rng.nextDouble(-1, 1);
            sb.append(String.format(Locale.ROOT, "%.4f,%.4f,%.4f,%.4f%n", x1, x2, 2 * x1 - x2, 0.5 * x1 + x2 + 1));
        }
        Path csv = write("two.csv", sb.toString());
        Path model = dir.resolve("two-model");
        JsonNode res = JSON.readTree(ok("train", "--data", csv.toString(), "--label", "y1,y2", "--layers", "8:relu,2",
                "--lr", "0.01", "--epochs", "80", "--json", "--quiet", "--out", model.toString()).out());
        assertThat(res.get("test_accuracy").isNull()).isTrue();
        assertThat(JSON.readTree(model.resolve("config.json").toFile()).get("labels").toString()).isEqualTo("[\"y1\",\"y2\"]");

        List<String> out = ok("predict", "--model", model.toString(), "--input", "0.5,0.25").out().lines().toList();
        assertThat(out.getFirst()).isEqualTo("y1,y2");
        String[] v = out.get(1).split(",");
        assertThat(Double.parseDouble(v[0])).isCloseTo(0.75, within(0.15));
        assertThat(Double.parseDouble(v[1])).isCloseTo(1.5, within(0.15));

        JsonNode eval = JSON.readTree(ok("evaluate", "--model", model.toString(), "--data", csv.toString(), "--json").out());
        assertThat(eval.get("r2").asDouble()).isGreaterThan(0.95);
        JsonNode outputs = eval.get("outputs");
        assertThat(outputs).hasSize(2);
        assertThat(outputs.get(0).get("label").asText()).isEqualTo("y1");
        assertThat(eval.get("mse").asDouble()).as("the mean over the outputs")
                .isCloseTo((outputs.get(0).get("mse").asDouble() + outputs.get(1).get("mse").asDouble()) / 2, within(1e-9));
        assertThat(eval.get("mse").asDouble()).isCloseTo(eval.get("loss").asDouble(), within(1e-6));
        String text = ok("evaluate", "--model", model.toString(), "--data", csv.toString()).out();
        assertThat(text).contains("(mean over 2 outputs)").contains("R²").containsPattern("\ny2 +[0-9.]+");

        ok("train", "--data", csv.toString(), "--label", "y1,y2", "--layers", "2", "--loss", "mae", "--epochs", "3", "--quiet",
                "--out", dir.resolve("mae").toString());
        assertThat(ok("trace", "--model", model.toString(), "--input", "0.5,0.25", "--target", "0.75,1.5").out())
                .contains("loss (mse) against target 0.75,1.5");
    }
}
