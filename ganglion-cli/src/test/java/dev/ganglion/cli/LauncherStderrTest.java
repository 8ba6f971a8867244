package dev.ganglion.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.tools.ToolProvider;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The launcher's stderr filter: it drops the JVM's incubator notice, passes everything else through
 * as it comes (a progress bar's {@code \r} redraws are not held back until a newline), keeps the
 * exit code, and tells the JVM whether its stderr is a terminal. Runs a copy of the real
 * {@code ganglion} script around a stand-in jar, through a pipe and through a pseudo-terminal.
 */
class LauncherStderrTest {
    private static final String STAND_IN = """
            import java.nio.file.*;
            public class StandIn {
                public static void main(String[] args) throws Exception {
                    if (args[0].equals("until-term")) {
                        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                            System.err.println("checkpoint saved on SIGTERM");
                            System.err.flush();
                        }));
                        System.err.println("ready");
                        System.err.flush();
                        Thread.sleep(60_000);
                        System.exit(0);
                    }
                    System.err.print("tty=" + System.getenv("GANGLION_STDERR_TTY") + "\\n");
                    System.err.print("step 1\\r");
                    System.err.flush();
                    Path go = Path.of(args[0]);
                    for (int i = 0; i < 600 && !Files.exists(go); i++) Thread.sleep(50);
                    System.err.print("step 2\\rdone\\n");
                    System.out.println("out " + Files.exists(go));
                    System.exit(3);
                }
            }
            """;

    @TempDir
    Path dir;

    private Path launcherWithStandIn() throws IOException {
        Path repo = ReadmeExampleTest.readme().getParent(), root = dir.resolve("root"), src = dir.resolve("src"), classes = dir.resolve("classes");
        Files.createDirectories(root.resolve("scripts"));
        Files.createDirectories(root.resolve("ganglion-cli/target"));
        Files.copy(repo.resolve("ganglion"), root.resolve("ganglion"));
        Files.copy(repo.resolve("scripts/find-jdk.sh"), root.resolve("scripts/find-jdk.sh"));
        Files.createDirectories(src);
        Files.createDirectories(classes);
        Files.writeString(src.resolve("StandIn.java"), STAND_IN);
        int rc = ToolProvider.getSystemJavaCompiler().run(null, null, null, "-d", classes.toString(), src.resolve("StandIn.java").toString());
        assertThat(rc).isZero();
        Manifest mf = new Manifest();
        mf.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        mf.getMainAttributes().put(Attributes.Name.MAIN_CLASS, "StandIn");
        try (JarOutputStream jar = new JarOutputStream(Files.newOutputStream(root.resolve("ganglion-cli/target/ganglion.jar")), mf)) {
            jar.putNextEntry(new JarEntry("StandIn.class"));
            jar.write(Files.readAllBytes(classes.resolve("StandIn.class")));
            jar.closeEntry();
        }
        return root;
    }

    /** Reads {@code in} until {@code marker} has arrived (or 30 s passed), keeping what it read. */
    private static String readUntil(InputStream in, String marker, ByteArrayOutputStream seen) throws IOException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        byte[] buf = new byte[256];
        while (!seen.toString(StandardCharsets.UTF_8).contains(marker) && System.nanoTime() < deadline) {
            int n = in.read(buf);
            if (n < 0) break;
            seen.write(buf, 0, n);
        }
        return seen.toString(StandardCharsets.UTF_8);
    }

    @Test
    void throughAPipe() throws Exception {
        Path root = launcherWithStandIn(), go = dir.resolve("go");
        Process p = new ProcessBuilder("bash", root.resolve("ganglion").toString(), go.toString()).start();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        // "step 1\r" must arrive while the program still runs (it waits for the go file)
        assertThat(readUntil(p.getErrorStream(), "step 1\r", err)).contains("step 1\r");
        Files.createFile(go);
        err.write(p.getErrorStream().readAllBytes());
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isEqualTo(3);
        assertThat(err.toString(StandardCharsets.UTF_8)).isEqualTo("tty=0\nstep 1\rstep 2\rdone\n");
        assertThat(out).isEqualTo("out true\n");
    }

    @Test
    void sigtermToTheLauncherReachesTheJvmAndItsLastWordsArriveBeforeTheLauncherExits() throws Exception {
        Path root = launcherWithStandIn();
        Process p = new ProcessBuilder("bash", root.resolve("ganglion").toString(), "until-term").start();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertThat(readUntil(p.getErrorStream(), "ready\n", err)).contains("ready\n");
        // SIGTERM to the launcher's process (bash), as a process manager sends it (destroy() would close our pipes)
        assertThat(new ProcessBuilder("kill", "-TERM", Long.toString(p.pid())).start().waitFor()).isZero();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("the JVM's exit status for SIGTERM").isEqualTo(143);
        // the launcher has exited: everything the JVM wrote to stderr must already be there
        int available = p.getErrorStream().available();
        byte[] rest = p.getErrorStream().readNBytes(available);
        err.write(rest);
        assertThat(err.toString(StandardCharsets.UTF_8)).isEqualTo("ready\ncheckpoint saved on SIGTERM\n");
    }

    @Test
    void onATerminal() throws Exception {
        Path root = launcherWithStandIn(), go = dir.resolve("go");
        // script(1) from util-linux runs the launcher on a pseudo-terminal; -e returns its exit code
        Process p = new ProcessBuilder("script", "-qec", "bash '" + root.resolve("ganglion") + "' '" + go + "'", "/dev/null")
                .redirectErrorStream(true).start();
        ByteArrayOutputStream seen = new ByteArrayOutputStream();
        assertThat(readUntil(p.getInputStream(), "step 1\r", seen)).contains("step 1\r");
        Files.createFile(go);
        seen.write(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isEqualTo(3);
        String all = seen.toString(StandardCharsets.UTF_8).replace("\r\n", "\n");   // the terminal turns \n into \r\n
        assertThat(all).contains("tty=1\nstep 1\rstep 2\rdone\n").contains("out true").doesNotContain("WARNING");
    }
}
