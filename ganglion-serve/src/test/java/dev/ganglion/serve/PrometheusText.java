package dev.ganglion.serve;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A strict parser of the Prometheus text exposition format (0.0.4) for the tests: every line must
 * be a HELP, a TYPE or a sample; each family is declared once, before its samples; histogram
 * buckets are cumulative and end with {@code le="+Inf"} equal to {@code _count}.
 */
final class PrometheusText {
    private static final Pattern NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Pattern SAMPLE = Pattern.compile("(" + NAME + ")(?:\\{(.*)})? (\\S+)");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\\\n]|\\\\[\\\\\"n])*)\"(,|$)");

    /** One sample: metric name, labels, value. */
    record Sample(String name, Map<String, String> labels, double value) {
    }

    final Map<String, String> types = new LinkedHashMap<>();
    final List<Sample> samples = new ArrayList<>();

    static PrometheusText parse(String text) {
        PrometheusText p = new PrometheusText();
        if (!text.endsWith("\n")) throw new AssertionError("the exposition must end with a line feed");
        Map<String, Boolean> helped = new HashMap<>();
        int lineNo = 0;
        for (String line : text.split("\n", -1)) {
            lineNo++;
            if (line.isEmpty()) continue;
            String where = "line " + lineNo + ": " + line;
            if (line.startsWith("# HELP ")) {
                String[] parts = line.substring(7).split(" ", 2);
                check(NAME.matcher(parts[0]).matches(), where);
                check(helped.put(parts[0], true) == null, where + " (HELP repeated)");
            } else if (line.startsWith("# TYPE ")) {
                String[] parts = line.substring(7).split(" ");
                check(parts.length == 2 && NAME.matcher(parts[0]).matches(), where);
                check(List.of("counter", "gauge", "histogram", "summary", "untyped").contains(parts[1]), where);
                check(p.types.put(parts[0], parts[1]) == null, where + " (TYPE repeated)");
                check(p.samples.stream().noneMatch(s -> family(s.name(), p.types).equals(parts[0])), where + " (TYPE after samples)");
            } else if (line.startsWith("#")) {
                check(false, where + " (unknown comment)");
            } else {
                Matcher m = SAMPLE.matcher(line);
                check(m.matches(), where);
                Map<String, String> labels = new LinkedHashMap<>();
                if (m.group(2) != null && !m.group(2).isEmpty()) {
                    Matcher l = LABEL.matcher(m.group(2));
                    int at = 0;
                    while (at < m.group(2).length()) {
                        check(l.find(at) && l.start() == at, where + " (labels)");
                        check(labels.put(l.group(1), l.group(2).replace("\\\"", "\"").replace("\\n", "\n").replace("\\\\", "\\")) == null,
                                where + " (label repeated)");
                        at = l.end();
                    }
                }
                double v = switch (m.group(3)) {
                    case "+Inf" -> Double.POSITIVE_INFINITY;
                    case "-Inf" -> Double.NEGATIVE_INFINITY;
                    case "NaN" -> Double.NaN;
                    default -> Double.parseDouble(m.group(3));
                };
                String family = family(m.group(1), p.types);
                check(p.types.containsKey(family), where + " (no TYPE for " + family + ")");
                p.samples.add(new Sample(m.group(1), labels, v));
            }
        }
        p.checkHistograms();
        return p;
    }

    private static String family(String name, Map<String, String> types) {
        for (String suffix : List.of("_bucket", "_sum", "_count")) {
            if (name.endsWith(suffix)) {
                String base = name.substring(0, name.length() - suffix.length());
                if ("histogram".equals(types.get(base))) return base;
            }
        }
        return name;
    }

    private void checkHistograms() {
        types.forEach((name, type) -> {
            if (!type.equals("histogram")) return;
            Map<Map<String, String>, List<Sample>> series = new LinkedHashMap<>();
            for (Sample s : samples) {
                if (!s.name().equals(name + "_bucket")) continue;
                Map<String, String> key = new LinkedHashMap<>(s.labels());
                key.remove("le");
                series.computeIfAbsent(key, k -> new ArrayList<>()).add(s);
            }
            series.forEach((labels, buckets) -> {
                double prevLe = Double.NEGATIVE_INFINITY, prevCount = 0;
                for (Sample b : buckets) {
                    double le = b.labels().get("le").equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(b.labels().get("le"));
                    check(le > prevLe, name + labels + ": le not increasing");
                    check(b.value() >= prevCount, name + labels + ": buckets not cumulative");
                    prevLe = le;
                    prevCount = b.value();
                }
                check(prevLe == Double.POSITIVE_INFINITY, name + labels + ": no +Inf bucket");
                check(value(name + "_count", labels) == prevCount, name + labels + ": _count differs from the +Inf bucket");
                check(value(name + "_sum", labels) >= 0, name + labels + ": no _sum");
            });
        });
    }

    /** The value of the sample with exactly these labels; fails if there is none. */
    double value(String name, Map<String, String> labels) {
        return samples.stream().filter(s -> s.name().equals(name) && s.labels().equals(labels)).findFirst()
                .orElseThrow(() -> new AssertionError("no sample " + name + labels)).value();
    }

    /** The value, or 0 when the series has not been created yet. */
    double valueOrZero(String name, Map<String, String> labels) {
        return samples.stream().filter(s -> s.name().equals(name) && s.labels().equals(labels)).mapToDouble(Sample::value).findFirst().orElse(0);
    }

    private static void check(boolean ok, String what) {
        if (!ok) throw new AssertionError("invalid Prometheus text: " + what);
    }
}
