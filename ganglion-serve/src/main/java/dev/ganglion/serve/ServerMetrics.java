package dev.ganglion.serve;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * The server's counters and histograms, written in the Prometheus text exposition format
 * (version 0.0.4). Written by hand: the format is a few lines per family, and a metrics library
 * would bring more code than it saves. All updates are lock-free adders.
 */
final class ServerMetrics {
    /** Request latency buckets, seconds. */
    static final double[] LATENCY_BUCKETS = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
    /** Batch size buckets (rows, or requests, per forward pass). */
    static final double[] SIZE_BUCKETS = {1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 4096};

    private final Counter requests = new Counter();
    private final Counter errors = new Counter();
    private final Counter rows = new Counter();
    private final Counter reloads = new Counter();
    private final Histograms latency = new Histograms(LATENCY_BUCKETS);
    private final Histograms batchRows = new Histograms(SIZE_BUCKETS);
    private final Histograms batchRequests = new Histograms(SIZE_BUCKETS);
    private final AtomicLong inFlight = new AtomicLong();

    /** A finished predict request: its model (empty if unknown), status and duration. */
    void request(String model, int status, long nanos) {
        requests.add(List.of(model, Integer.toString(status)), 1);
        latency.get(model).observe(nanos / 1e9);
    }

    /** A request answered with an error of kind {@code kind} (see {@link ApiError#kind()}). */
    void error(String model, String kind) {
        errors.add(List.of(model, kind), 1);
    }

    /** One forward pass over {@code requestCount} requests holding {@code rowCount} rows. */
    void batch(String model, int requestCount, int rowCount) {
        batchRows.get(model).observe(rowCount);
        batchRequests.get(model).observe(requestCount);
        rows.add(List.of(model), rowCount);
    }

    /** A reload attempt: {@code ok} or {@code failed}. */
    void reload(String model, String result) {
        reloads.add(List.of(model, result), 1);
    }

    AtomicLong inFlight() {
        return inFlight;
    }

    /** Requests of one model and status so far (for tests and the model listing). */
    long requests(String model, int status) {
        return requests.get(List.of(model, Integer.toString(status)));
    }

    /** The whole exposition; {@code models} gives each model's name and current version. */
    String render(Supplier<Map<String, String>> models) {
        StringBuilder sb = new StringBuilder();
        requests.render(sb, "ganglion_predict_requests_total", "Predict requests by model and HTTP status.", "model", "status");
        errors.render(sb, "ganglion_predict_errors_total", "Requests answered with an error, by model (empty if none) and kind.", "model", "error");
        latency.render(sb, "ganglion_predict_duration_seconds", "Predict request latency, from the request line to the response.");
        rows.render(sb, "ganglion_predict_rows_total", "Rows predicted.", "model");
        batchRows.render(sb, "ganglion_batch_rows", "Rows per forward pass (micro-batch size in rows).");
        batchRequests.render(sb, "ganglion_batch_requests", "Requests per forward pass (how many requests were batched together).");
        reloads.render(sb, "ganglion_model_reloads_total", "Model reload attempts by result (ok, failed).", "model", "result");
        sb.append("# HELP ganglion_model_info The served version (weights SHA-256, first 12 hex digits) of each model.\n");
        sb.append("# TYPE ganglion_model_info gauge\n");
        new TreeMap<>(models.get()).forEach((name, version) -> sb.append("ganglion_model_info{model=\"").append(escape(name))
                .append("\",version=\"").append(escape(version)).append("\"} 1\n"));
        sb.append("# HELP ganglion_inflight_requests Requests being handled now.\n");
        sb.append("# TYPE ganglion_inflight_requests gauge\n");
        sb.append("ganglion_inflight_requests ").append(inFlight.get()).append('\n');
        return sb.toString();
    }

    /** Escapes a label value: backslash, double quote and line feed. */
    static String escape(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }

    private static String number(double v) {
        if (v == Double.POSITIVE_INFINITY) return "+Inf";
        if (v == Math.rint(v) && Math.abs(v) < 1e15) return Long.toString((long) v);
        return java.math.BigDecimal.valueOf(v).toPlainString();
    }

    /** A counter family keyed by its label values. */
    private static final class Counter {
        private final Map<List<String>, LongAdder> values = new ConcurrentHashMap<>();

        void add(List<String> labels, long n) {
            values.computeIfAbsent(labels, k -> new LongAdder()).add(n);
        }

        long get(List<String> labels) {
            LongAdder a = values.get(labels);
            return a == null ? 0 : a.sum();
        }

        void render(StringBuilder sb, String name, String help, String... labelNames) {
            sb.append("# HELP ").append(name).append(' ').append(help).append('\n');
            sb.append("# TYPE ").append(name).append(" counter\n");
            List<List<String>> keys = new ArrayList<>(values.keySet());
            keys.sort((a, b) -> String.join("\u0000", a).compareTo(String.join("\u0000", b)));
            for (List<String> key : keys) {
                sb.append(name).append('{');
                for (int i = 0; i < labelNames.length; i++) {
                    if (i > 0) sb.append(',');
                    sb.append(labelNames[i]).append("=\"").append(escape(key.get(i))).append('"');
                }
                sb.append("} ").append(values.get(key).sum()).append('\n');
            }
        }
    }

    /** One histogram per model. */
    private static final class Histograms {
        private final double[] bounds;
        private final Map<String, Histogram> byModel = new ConcurrentHashMap<>();

        Histograms(double[] bounds) {
            this.bounds = bounds;
        }

        Histogram get(String model) {
            return byModel.computeIfAbsent(model, m -> new Histogram(bounds));
        }

        void render(StringBuilder sb, String name, String help) {
            sb.append("# HELP ").append(name).append(' ').append(help).append('\n');
            sb.append("# TYPE ").append(name).append(" histogram\n");
            new TreeMap<>(byModel).forEach((model, h) -> h.render(sb, name, escape(model)));
        }
    }

    private static final class Histogram {
        private final double[] bounds;
        private final LongAdder[] counts;
        private final DoubleAdder sum = new DoubleAdder();

        Histogram(double[] bounds) {
            this.bounds = bounds;
            this.counts = new LongAdder[bounds.length + 1];
            for (int i = 0; i < counts.length; i++) counts[i] = new LongAdder();
        }

        void observe(double v) {
            int i = 0;
            while (i < bounds.length && v > bounds[i]) i++;
            counts[i].increment();
            sum.add(v);
        }

        void render(StringBuilder sb, String name, String model) {
            long cumulative = 0;
            long[] snapshot = new long[counts.length];
            for (int i = 0; i < counts.length; i++) snapshot[i] = counts[i].sum();
            for (int i = 0; i <= bounds.length; i++) {
                cumulative += snapshot[i];
                double le = i < bounds.length ? bounds[i] : Double.POSITIVE_INFINITY;
                sb.append(name).append("_bucket{model=\"").append(model).append("\",le=\"").append(number(le)).append("\"} ")
                        .append(cumulative).append('\n');
            }
            sb.append(name).append("_sum{model=\"").append(model).append("\"} ").append(number(sum.sum())).append('\n');
            sb.append(name).append("_count{model=\"").append(model).append("\"} ").append(cumulative).append('\n');
        }
    }
}
