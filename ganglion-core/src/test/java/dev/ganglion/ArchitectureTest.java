package dev.ganglion;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Dependencies between the core's packages point one way (see docs/design.md). */
class ArchitectureTest {
    /** Package → the Ganglion packages it may import (besides itself). */
    private static final Map<String, Set<String>> ALLOWED = Map.of(
            "dev.ganglion", Set.of("dev.ganglion.tensor.kernel"),
            "dev.ganglion.tensor.kernel", Set.of(),
            "dev.ganglion.tensor", Set.of("dev.ganglion.tensor.kernel"),
            "dev.ganglion.nn", Set.of("dev.ganglion.tensor"),
            "dev.ganglion.optim", Set.of("dev.ganglion.tensor", "dev.ganglion.tensor.kernel"),
            "dev.ganglion.optim.schedule", Set.of("dev.ganglion.optim", "dev.ganglion.tensor"),
            "dev.ganglion.data", Set.of("dev.ganglion.tensor"),
            "dev.ganglion.train", Set.of("dev.ganglion.tensor", "dev.ganglion.tensor.kernel", "dev.ganglion.nn", "dev.ganglion.optim", "dev.ganglion.optim.schedule",
                    "dev.ganglion.data"),
            "dev.ganglion.model", Set.of("dev.ganglion.tensor", "dev.ganglion.nn", "dev.ganglion.data"),
            "dev.ganglion.metrics", Set.of("dev.ganglion.tensor"));

    private static final Pattern IMPORT = Pattern.compile("^import (?:static )?(dev\\.ganglion(?:\\.[a-z]+)*)\\.[A-Z]", Pattern.MULTILINE);

    @Test
    void corePackagesDependOnlyDownwards() throws IOException {
        Path src = Path.of("src/main/java");
        Set<String> violations = new TreeSet<>();
        Set<String> seen = new TreeSet<>();
        try (Stream<Path> files = Files.walk(src)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                String pkg = src.relativize(f.getParent()).toString().replace('/', '.');
                seen.add(pkg);
                assertThat(ALLOWED).as("package %s has no rule in ArchitectureTest", pkg).containsKey(pkg);
                Matcher m = IMPORT.matcher(Files.readString(f));
                while (m.find()) {
                    String target = m.group(1);
                    if (!target.equals(pkg) && !ALLOWED.get(pkg).contains(target)) {
                        violations.add(f.getFileName() + " (" + pkg + ") imports " + target);
                    }
                }
            }
        }
        assertThat(seen).contains("dev.ganglion.tensor", "dev.ganglion.nn", "dev.ganglion.train");
        assertThat(violations).isEmpty();
    }

    @Test
    void coreHasNoThirdPartyImports() throws IOException {
        try (Stream<Path> files = Files.walk(Path.of("src/main/java"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                for (String line : Files.readAllLines(f)) {
                    if (line.startsWith("import ")) {
                        assertThat(line).as(f.toString()).matches("import (static )?(java|javax|jdk|dev\\.ganglion)\\..*");
                    }
                }
            }
        }
    }
}
