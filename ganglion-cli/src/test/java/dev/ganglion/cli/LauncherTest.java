package dev.ganglion.cli;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The scripts at the repository root find a JDK 25 or say clearly what to install. */
class LauncherTest {
    private static Path root() {
        return ReadmeExampleTest.readme().getParent();
    }

    private static String run(String script, java.util.Map<String, String> env, int[] exit) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder("bash", "-c", script).directory(root().toFile()).redirectErrorStream(true);
        pb.environment().putAll(env);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        exit[0] = p.exitValue();
        return out;
    }

    @Test
    void findsAJdk25() throws Exception {
        int[] exit = new int[1];
        String out = run(". scripts/find-jdk.sh && java -version", java.util.Map.of("JAVA_HOME", ""), exit);
        assertThat(exit[0]).as(out).isZero();
        assertThat(out).containsPattern("version \"(2[5-9]|[3-9][0-9])");
    }

    @Test
    void failsClearlyWithoutAJdk25() throws Exception {
        int[] exit = new int[1];
        String out = run(". scripts/find-jdk.sh && echo found",
                java.util.Map.of("JAVA_HOME", "/nonexistent", "PATH", "/usr/bin:/bin", "GANGLION_JDK_SEARCH_PATH", "/nonexistent-jvms"), exit);
        assertThat(exit[0]).isEqualTo(1);
        assertThat(out).contains("no JDK 25 or newer found").contains("JAVA_HOME").doesNotContain("found\n");
    }
}
