package dev.ganglion.bench;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The command line every library process shares: {@code --workload w1|w2|w3|w4|gemm|ceilings [--json] [--quick]}.
 * It runs one workload and prints its {@link Result}: with {@code --json} one JSON line on stdout
 * (the driver reads these), else a few lines of text. Progress and library chatter go to stderr.
 * It appends the process's peak RSS and the Java version to the result.
 */
public final class LibraryMain {
    private LibraryMain() {
    }

    /** One library's implementation of the workloads. */
    public interface Workloads {
        Result run(String workload, boolean quick) throws Throwable;
    }

    public static void run(String library, Set<String> supported, String[] args, Workloads impl) {
        String workload = null;
        boolean json = false, quick = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--workload" -> workload = i + 1 < args.length ? args[++i] : null;
                case "--json" -> json = true;
                case "--quick" -> quick = true;
                case "-h", "--help" -> {
                    System.out.println("usage: " + library + " --workload " + String.join("|", supported) + " [--json] [--quick]");
                    return;
                }
                default -> fail(library, workload, json, "unknown argument " + args[i], 2);
            }
        }
        if (workload == null || !supported.contains(workload)) {
            fail(library, workload, json, "--workload must be one of " + String.join(", ", supported), 2);
            return;
        }
        Result r;
        try {
            r = impl.run(workload, quick);
        } catch (Throwable e) {
            StringWriter sw = new StringWriter();
            e.printStackTrace(new PrintWriter(sw));
            System.err.println(sw);
            fail(library, workload, json, e.toString(), 1);
            return;
        }
        r.with("quick", quick);
        r.with("peak_rss_mb", Math.round(Measure.peakRssMb() * 10) / 10.0);
        r.with("java", System.getProperty("java.version"));
        if (json) System.out.println(r.toJson());
        else System.out.print(r.toText());
        System.out.flush();
        // Some native libraries keep non-daemon threads alive; the result is out, so leave now.
        System.exit(0);
    }

    private static void fail(String library, String workload, boolean json, String message, int code) {
        if (json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("library", library);
            m.put("workload", workload);
            m.put("error", message);
            System.out.println(Json.write(m));
        } else {
            System.err.println(library + ": " + message);
        }
        System.out.flush();
        System.exit(code);
    }

    /** Prints a progress line on stderr. */
    public static void log(String library, String message) {
        System.err.println("[" + library + "] " + message);
    }
}
