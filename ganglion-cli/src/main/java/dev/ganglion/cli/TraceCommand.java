package dev.ganglion.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.ganglion.data.FeatureEncoding;
import dev.ganglion.io.ModelStore;
import dev.ganglion.model.Model;
import dev.ganglion.nn.Dense;
import dev.ganglion.nn.Loss;
import dev.ganglion.nn.Module;
import dev.ganglion.tensor.Tensor;
import dev.ganglion.train.Trainer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code ganglion trace}: every layer's Z and A for one input, and with a target every gradient. */
@Command(name = "trace", mixinStandardHelpOptions = true,
        header = "Show each layer's Z and A for one input; with --target, the loss and every gradient.",
        description = {"Show what the network computes for one input: each layer's Z = W·x + b (before the activation)",
                "and A = activation(Z) (after). With --target, also the loss and the gradient of every weight and bias."},
        footer = {"", "Examples:", "  ganglion trace --model models/font --input 0,0,128",
                "  ganglion trace --model models/font --input 100,110,120 --target 1 --json"})
final class TraceCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "DIR", description = "Model directory.")
    Path modelDir;

    @Option(names = "--input", required = true, paramLabel = "X1,X2,...",
            description = "Raw input values, comma-separated; categories as text (e.g. red,0.5).")
    String input;

    @Option(names = "--target", paramLabel = "Y", description = "The true label (class name) or value; adds loss and gradients. "
            + "Several labels: one value per label, comma-separated (e.g. 1,0,1).")
    String target;

    @Option(names = "--json", description = "Print one JSON object on stdout.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        Model model = ModelStore.load(modelDir);
        Tensor raw = ModelData.inputRow(model, input);
        Tensor x = model.scale(raw);
        Tensor y = target == null ? null : targetTensor(model);
        model.network().train(false);   // dropout off, batch norm on its running statistics
        List<Dense.Trace> traces = model.network().trace(x);
        Map<String, Object> res = new LinkedHashMap<>();
        FeatureEncoding enc = model.encoding();
        if (enc.isIdentity()) {
            res.put("input", vector(raw));
        } else {
            List<Object> values = new ArrayList<>();
            for (int j = 0; j < raw.size(); j++) {
                float v = raw.data()[j];
                values.add(Float.isNaN(v) ? null : enc.isCategorical(j) ? enc.display(j, v) : (Object) v);
            }
            res.put("input", values);
        }
        res.put("scaled_input", vector(x));
        res.put("scaled_input_names", model.encodedInputNames());
        List<Map<String, Object>> layers = new ArrayList<>();
        List<Module> modules = model.network().layers();
        for (int i = 0; i < traces.size(); i++) {
            Map<String, Object> l = new LinkedHashMap<>();
            l.put("name", "layers." + i);
            if (modules.get(i) instanceof Dense d) {
                l.put("units", d.units());
                l.put("activation", d.activation().name());
                l.put("weight", matrix(d.weight()));
                l.put("bias", vector(d.bias()));
            }
            l.put("z", vector(traces.get(i).z()));
            l.put("a", vector(traces.get(i).a()));
            layers.add(l);
        }
        res.put("layers", layers);
        Tensor out = traces.getLast().a();
        if (model.isClassifier()) res.put("predicted_class", model.classNames().get(model.classify(out)[0]));
        if (model.isMultiLabel()) {
            int[] decided = model.decide(out);
            Map<String, Object> labels = new LinkedHashMap<>();
            for (int j = 0; j < decided.length; j++) labels.put(model.labelNames().get(j), model.labelClasses().get(j).get(decided[j]));
            res.put("predicted_labels", labels);
        }
        if (y != null) {
            model.network().zeroGrad();
            Tensor loss = Trainer.lossOf(model.network(), model.loss(), x, y);
            loss.backward();
            res.put("target", target);
            res.put("loss_function", model.loss().name());
            res.put("loss", loss.item());
            Map<String, Object> grads = new LinkedHashMap<>();
            model.network().namedParameters().forEach((name, p) ->
                    grads.put(name, p.rank() == 2 ? matrix(p.grad()) : vector(p.grad())));
            res.put("gradients", grads);
        }
        PrintWriter o = spec.commandLine().getOut();
        if (json) {
            o.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(res));
        } else {
            printHuman(o, model, res, traces, modules);
        }
        return 0;
    }

    private Tensor targetTensor(Model model) {
        int labels = model.labelNames().size();
        if (labels > 1) {
            String[] parts = target.split(",", -1);
            if (parts.length != labels) {
                throw new UserError("--target has " + parts.length + " value(s), the model predicts " + labels + " labels "
                        + model.labelNames() + "; give one per label, comma-separated");
            }
            float[] y = new float[labels];
            for (int j = 0; j < labels; j++) {
                String v = parts[j].strip();
                if (model.isMultiLabel()) {
                    List<String> pair = model.labelClasses().get(j);
                    int index = pair.indexOf(FeatureEncoding.canonical(v));
                    if (index < 0) {
                        throw new UserError("--target value " + (j + 1) + " (" + model.labelNames().get(j) + "): \"" + v
                                + "\" is not one of the label's values " + pair);
                    }
                    y[j] = index;
                } else {
                    try {
                        y[j] = Float.parseFloat(v);
                    } catch (NumberFormatException e) {
                        throw new UserError("--target value " + (j + 1) + " (" + model.labelNames().get(j) + "): \"" + v + "\" is not a number");
                    }
                }
            }
            return Tensor.of(y, 1, labels);
        }
        if (!model.isClassifier()) {
            try {
                return Tensor.of(new float[]{Float.parseFloat(target.trim())}, 1, 1);
            } catch (NumberFormatException e) {
                throw new UserError("--target \"" + target + "\" is not a number (the model predicts the value of \"" + model.labelName() + "\")");
            }
        }
        int c = model.classNames().indexOf(target.trim());
        if (c < 0) {
            throw new UserError("--target \"" + target + "\" is not one of the model's classes " + model.classNames());
        }
        int k = model.outputCount();
        if (k == 1 || model.loss() instanceof Loss.CrossEntropy) return Tensor.of(new float[]{c}, 1, 1);
        float[] onehot = new float[k];
        onehot[c] = 1f;
        return Tensor.of(onehot, 1, k);
    }

    private void printHuman(PrintWriter o, Model model, Map<String, Object> res, List<Dense.Trace> traces, List<Module> modules) {
        o.println("model   " + model.describe());
        FeatureEncoding enc = model.encoding();
        if (enc.isIdentity()) {
            o.println("input   " + named(model.inputNames(), (float[]) res.get("input")));
            o.println("scaled  " + fmt((float[]) res.get("scaled_input")) + "   (" + model.scaler().kind() + ")");
        } else {
            StringBuilder in = new StringBuilder();
            float[] fill = enc.imputer().values();
            List<?> values = (List<?>) res.get("input");
            for (int j = 0; j < values.size(); j++) {
                in.append(j == 0 ? "" : " ").append(model.inputNames().get(j)).append('=');
                if (values.get(j) != null) in.append(values.get(j));
                else in.append("missing→").append(enc.display(j, fill[j])).append(" (").append(enc.isCategorical(j) ? "most_frequent" : enc.imputer().strategy().configName()).append(')');
            }
            o.println("input   " + in);
            List<String> names = model.encodedInputNames();
            float[] scaled = (float[]) res.get("scaled_input");
            List<String> steps = new ArrayList<>();
            if (enc.imputer().isActive()) steps.add("missing values imputed");
            steps.add("numeric columns scaled (" + model.scaler().kind() + ")");
            if (!enc.categories().isEmpty()) steps.add("categories one-hot");
            o.println("network input (" + names.size() + " values: " + String.join(", ", steps) + ")");
            int width = names.stream().mapToInt(String::length).max().orElse(4) + 2;
            for (int j = 0; j < names.size(); j++) o.println("  " + pad(names.get(j), width) + number(scaled[j]));
        }
        for (int i = 0; i < traces.size(); i++) {
            o.println();
            if (modules.get(i) instanceof Dense d) {
                o.printf(Locale.ROOT, "layer %d: Dense %d -> %d, %s%n", i, d.inFeatures(), d.units(), d.activation().name());
                o.println("  W " + d.weight().shape() + " (row j = weights into neuron j)");
                for (float[] row : d.weight().toArray2d()) o.println("      " + fmt(row));
                o.println("  b   " + fmt(d.bias().data()));
                String zLabel = "Z = W·x + b", aLabel = "A = " + d.activation().name() + "(Z)";
                int width = Math.max(zLabel.length(), aLabel.length()) + 2;
                o.println("  " + pad(zLabel, width) + fmt(traces.get(i).z().data()));
                o.println("  " + pad(aLabel, width) + fmt(traces.get(i).a().data()));
            } else {
                o.printf(Locale.ROOT, "layer %d: %s%n", i, modules.get(i));
                o.println("  A " + " ".repeat(12) + fmt(traces.get(i).a().data()));
            }
        }
        o.println();
        if (res.containsKey("predicted_class")) o.println("predicted class: " + res.get("predicted_class"));
        if (res.containsKey("predicted_labels")) {
            StringBuilder sb = new StringBuilder("predicted labels:");
            ((Map<?, ?>) res.get("predicted_labels")).forEach((k, v) -> sb.append(' ').append(k).append('=').append(v));
            o.println(sb);
        }
        if (res.containsKey("loss")) {
            o.printf(Locale.ROOT, "loss (%s) against target %s: %s%n", res.get("loss_function"), target, number((float) res.get("loss")).strip());
            o.println("gradients (dLoss/dparameter):");
            model.network().namedParameters().forEach((name, p) -> {
                o.println("  " + name + " " + p.shape());
                if (p.rank() == 2) for (float[] row : p.grad().toArray2d()) o.println("      " + fmt(row));
                else o.println("      " + fmt(p.grad().data()));
            });
        }
    }

    private static String named(List<String> names, float[] v) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < v.length; i++) sb.append(i == 0 ? "" : " ").append(names.get(i)).append('=').append(v[i]);
        return sb.toString();
    }

    private static String pad(String s, int width) {
        return s + " ".repeat(Math.max(1, width - s.length()));
    }

    private static String fmt(float[] v) {
        StringBuilder sb = new StringBuilder("[");
        for (float x : v) sb.append(' ').append(number(x));
        return sb.append(" ]").toString();
    }

    /** Ten characters wide: fixed-point for ordinary values, scientific for tiny or huge ones. */
    private static String number(float x) {
        float a = Math.abs(x);
        if (x == 0f || (a >= 1e-3f && a < 1e5f)) return String.format(Locale.ROOT, "%10.5f", x);
        return String.format(Locale.ROOT, "%10.3e", x);
    }

    private static float[] vector(Tensor t) {
        return t.data().clone();
    }

    private static float[][] matrix(Tensor t) {
        return t.toArray2d();
    }
}
