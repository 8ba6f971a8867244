package dev.ganglion.learning;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Java program in docs/training.md is {@link TrainingExample}, compiled with the tests: the
 * guide's block must equal that file (without its package line), and the program must learn.
 */
class TrainingGuideExampleTest {

    private static Path guide() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.exists(p.resolve("docs/training.md"))) p = p.getParent();
        assertThat(p).as("docs/training.md above " + Path.of("").toAbsolutePath()).isNotNull();
        return p.resolve("docs/training.md");
    }

    @Test
    void theGuidesExampleIsTheCompiledOne() throws Exception {
        Matcher block = Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL).matcher(Files.readString(guide()));
        String documented = null;
        while (block.find()) if (block.group(1).contains("public class TrainingExample")) documented = block.group(1);
        assertThat(documented).as("a ```java block declaring TrainingExample").isNotNull();
        Path source = guide().getParent().getParent()
                .resolve("ganglion-core/src/test/java/dev/ganglion/learning/TrainingExample.java");
        String compiled = Files.readString(source).replaceFirst("^package dev\\.ganglion\\.learning;\\n\\n", "");
        assertThat(documented).as("docs/training.md and " + source + " must hold the same program").isEqualTo(compiled);
    }

    @Test
    void theExampleLearns() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream original = System.out;
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            TrainingExample.main(new String[0]);
        } finally {
            System.setOut(original);
        }
        String printed = out.toString(StandardCharsets.UTF_8);
        Matcher m = Pattern.compile("ran (\\d+) epochs, best epoch (\\d+), validation accuracy ([0-9.]+)").matcher(printed);
        assertThat(m.find()).as(printed).isTrue();
        assertThat(Integer.parseInt(m.group(2))).isBetween(1, Integer.parseInt(m.group(1)));
        assertThat(Double.parseDouble(m.group(3))).as(printed).isGreaterThanOrEqualTo(0.96);
    }
}
