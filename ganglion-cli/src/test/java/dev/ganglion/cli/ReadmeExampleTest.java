package dev.ganglion.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** The Java program in README.md is compiled and run here, so it cannot rot. */
class ReadmeExampleTest {
    @TempDir
    Path dir;

    static Path readme() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.exists(p.resolve("README.md"))) p = p.getParent();
        assertThat(p).as("README.md above " + Path.of("").toAbsolutePath()).isNotNull();
        return p.resolve("README.md");
    }

    static String javaBlockDeclaring(String markdown, String className) {
        Matcher m = Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL).matcher(markdown);
        while (m.find()) {
            if (m.group(1).contains("public class " + className)) return m.group(1);
        }
        throw new AssertionError("README.md has no ```java block declaring " + className);
    }

    @Test
    void fontExampleCompilesRunsAndLearns() throws IOException, InterruptedException {
        String source = javaBlockDeclaring(Files.readString(readme()), "FontExample");
        Path src = dir.resolve("FontExample.java");
        Files.writeString(src, source);
        String classpath = System.getProperty("java.class.path");

        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        ByteArrayOutputStream diagnostics = new ByteArrayOutputStream();
        int compiled = javac.run(null, diagnostics, diagnostics, "-d", dir.toString(), "-cp", classpath,
                "--add-modules", "jdk.incubator.vector", src.toString());
        assertThat(compiled).as(diagnostics.toString(StandardCharsets.UTF_8)).isZero();

        String javaBin = ProcessHandle.current().info().command().orElse("java");
        Path saved = dir.resolve("saved-model");
        List<String> cmd = new ArrayList<>(List.of(javaBin, "--add-modules", "jdk.incubator.vector",
                "-cp", dir + java.io.File.pathSeparator + classpath, "FontExample", saved.toString()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();

        Matcher acc = Pattern.compile("test accuracy ([0-9.]+)").matcher(out);
        assertThat(acc.find()).as(out).isTrue();
        assertThat(Double.parseDouble(acc.group(1))).isGreaterThanOrEqualTo(0.97);
        Matcher navy = Pattern.compile("p\\(light font on navy\\) ([0-9.E-]+)").matcher(out);
        assertThat(navy.find()).as(out).isTrue();
        assertThat(Double.parseDouble(navy.group(1))).isGreaterThan(0.5);
        assertThat(saved.resolve("model.safetensors")).exists();
    }
}
