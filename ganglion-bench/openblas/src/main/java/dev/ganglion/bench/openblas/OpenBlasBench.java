package dev.ganglion.bench.openblas;

import dev.ganglion.bench.LibraryMain;
import dev.ganglion.bench.Measure;
import dev.ganglion.bench.Result;
import dev.ganglion.bench.Spec;
import dev.ganglion.bench.SyntheticData;

import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The reference sgemm: OpenBLAS's {@code cblas_sgemm} from the org.bytedeco:openblas linux-x86_64 jar,
 * called through the FFM API (no JavaCPP). The native files are copied out of the jar once, into
 * {@code ganglion.bench.nativeDir} (default: a folder under java.io.tmpdir). The driver starts this
 * process with OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE unset, so OpenBLAS picks its kernel from the
 * CPU itself; the result names the kernel ({@code openblas_get_corename}).
 */
public final class OpenBlasBench {
    static final String LIBRARY = "openblas";
    private static final int ROW_MAJOR = 101, NO_TRANS = 111, TRANS = 112;
    private static final String RESOURCE_DIR = "org/bytedeco/openblas/linux-x86_64/";
    private static final String[] FILES = {"libgcc_s.so.1", "libquadmath.so.0", "libgfortran.so.5", "libopenblas.so.0"};

    private OpenBlasBench() {
    }

    public static void main(String[] args) {
        LibraryMain.run(LIBRARY, Set.of("gemm"), args, (workload, quick) -> gemm(Spec.gemm(quick)));
    }

    static Result gemm(Spec.Gemm spec) throws Throwable {
        Path dir = extract();
        Arena global = Arena.global();
        Linker linker = Linker.nativeLinker();
        SymbolLookup lib = null;
        for (String f : FILES) lib = SymbolLookup.libraryLookup(dir.resolve(f), global);   // dependencies first
        MethodHandle sgemm = linker.downcallHandle(lib.find("cblas_sgemm").orElseThrow(),
                FunctionDescriptor.ofVoid(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT,
                        ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_FLOAT,
                        ValueLayout.ADDRESS, ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT,
                        ValueLayout.JAVA_FLOAT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT));
        MethodHandle corename = linker.downcallHandle(lib.find("openblas_get_corename").orElseThrow(),
                FunctionDescriptor.of(ValueLayout.ADDRESS));
        MethodHandle config = linker.downcallHandle(lib.find("openblas_get_config").orElseThrow(),
                FunctionDescriptor.of(ValueLayout.ADDRESS));
        MethodHandle threads = linker.downcallHandle(lib.find("openblas_get_num_threads").orElseThrow(),
                FunctionDescriptor.of(ValueLayout.JAVA_INT));
        String core = ((MemorySegment) corename.invokeExact()).reinterpret(256).getString(0);
        String conf = ((MemorySegment) config.invokeExact()).reinterpret(512).getString(0);
        int nThreads = (int) threads.invokeExact();
        LibraryMain.log(LIBRARY, "OpenBLAS " + conf + ", kernel " + core + ", " + nThreads + " threads");

        List<Result.GemmPoint> points = new ArrayList<>();
        for (Spec.GemmCase c : spec.cases()) {
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment a = copy(arena, SyntheticData.uniformMatrix(c.m() * c.k(), 1));
                MemorySegment b = copy(arena, SyntheticData.uniformMatrix(c.k() * c.n(), 2));
                MemorySegment out = arena.allocate((long) c.m() * c.n() * Float.BYTES, 64);
                int lda = c.transA() ? c.m() : c.k(), ldb = c.transB() ? c.k() : c.n();
                int ta = c.transA() ? TRANS : NO_TRANS, tb = c.transB() ? TRANS : NO_TRANS;
                double[] t = Measure.timeCallsWarm(i -> {
                    try {
                        sgemm.invokeExact(ROW_MAJOR, ta, tb, c.m(), c.n(), c.k(), 1f, a, lda, b, ldb, 0f, out, c.n());
                    } catch (Throwable e) {
                        throw new RuntimeException(e);
                    }
                }, spec.minCalls(), spec.minSeconds());
                Result.GemmPoint point = Result.GemmPoint.of(c, t);
                points.add(point);
                LibraryMain.log(LIBRARY, String.format("gemm %-30s %8.2f GFLOP/s (median), %8.2f (best)", c.key(), point.gflops(), point.bestGflops()));
            }
        }
        return Result.gemm(LIBRARY, points)
                .with("version", conf)
                .with("kernel", core)
                .with("threads", nThreads)
                .with("openblas_coretype_env", String.valueOf(System.getenv("OPENBLAS_CORETYPE")));
    }

    private static MemorySegment copy(Arena arena, float[] values) {
        MemorySegment s = arena.allocate((long) values.length * Float.BYTES, 64);
        MemorySegment.copy(values, 0, s, ValueLayout.JAVA_FLOAT, 0, values.length);
        return s;
    }

    /** Copies the native files out of the jar on the classpath (once per version). */
    private static Path extract() throws IOException {
        if (OpenBlasBench.class.getClassLoader().getResource(RESOURCE_DIR + "libopenblas.so.0") == null) throw new IOException("no " + RESOURCE_DIR + "libopenblas.so.0 on the classpath (org.bytedeco:openblas:linux-x86_64)");
        String where = System.getProperty("ganglion.bench.nativeDir");
        Path dir = where != null ? Path.of(where)
                : Path.of(System.getProperty("java.io.tmpdir"), "ganglion-bench-openblas-" + System.getProperty("user.name"));
        Files.createDirectories(dir);
        for (String f : FILES) {
            Path target = dir.resolve(f);
            try (InputStream in = OpenBlasBench.class.getClassLoader().getResourceAsStream(RESOURCE_DIR + f)) {
                if (in == null) throw new IOException("missing " + RESOURCE_DIR + f + " in the openblas jar");
                byte[] bytes = in.readAllBytes();
                if (!Files.exists(target) || Files.size(target) != bytes.length) {
                    Path tmp = Files.createTempFile(dir, f, ".part");
                    Files.write(tmp, bytes);
                    Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                }
            }
        }
        return dir;
    }
}
