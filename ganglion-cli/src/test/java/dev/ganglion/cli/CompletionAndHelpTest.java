package dev.ganglion.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Shell completion (run in real bash), an example in every command's help, and --quiet on every level. */
class CompletionAndHelpTest {
    @TempDir
    Path dir;

    private static String bash(String script, int[] exit) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("bash", "-c", script).redirectErrorStream(false).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        exit[0] = p.exitValue();
        return out + (err.isEmpty() ? "" : "\nstderr: " + err);
    }

    @Test
    void theBashCompletionScriptIsValidAndCompletesCommandsAndOptions() throws Exception {
        Cli c = Cli.run("completion", "bash");
        assertThat(c.exitCode()).as(c.err()).isZero();
        Path script = dir.resolve("ganglion-completion.bash");
        Files.writeString(script, c.out());
        int[] exit = new int[1];
        String syntax = bash("bash -n '" + script + "'", exit);
        assertThat(exit[0]).as(syntax).isZero();

        // what bash does on TAB: fill COMP_WORDS/COMP_CWORD and call the registered function
        String registered = bash("source '" + script + "'; complete -p ganglion", exit);
        assertThat(exit[0]).as(registered).isZero();
        assertThat(registered).contains("_complete_ganglion");
        String commands = bash("source '" + script + "'; COMP_WORDS=(ganglion tr); COMP_CWORD=1; COMP_LINE='ganglion tr';"
                + " COMP_POINT=${#COMP_LINE}; _complete_ganglion ganglion tr ganglion 2>/dev/null; printf '%s\\n' \"${COMPREPLY[@]}\"", exit);
        assertThat(commands.lines().map(String::strip).toList()).containsExactlyInAnyOrder("train", "trace");
        String options = bash("source '" + script + "'; COMP_WORDS=(ganglion summary --m); COMP_CWORD=2; COMP_LINE='ganglion summary --m';"
                + " COMP_POINT=${#COMP_LINE}; _complete_ganglion ganglion --m summary 2>/dev/null; printf '%s\\n' \"${COMPREPLY[@]}\"", exit);
        assertThat(options.lines().map(String::strip).toList()).contains("--model");

        Cli zsh = Cli.run("completion", "zsh");
        assertThat(zsh.out()).isEqualTo(c.out()).contains("bashcompinit");      // zsh sources the same script via bashcompinit
        Cli bad = Cli.run("completion", "fish");
        assertThat(bad.exitCode()).isEqualTo(2);
        assertThat(bad.err()).contains("unknown shell \"fish\"");
    }

    @Test
    void everyCommandsHelpEndsWithAnExample() {
        List<CommandLine> commands = new ArrayList<>();
        collect(new CommandLine(new Main()), commands);
        assertThat(commands).extracting(CommandLine::getCommandName)
                .contains("demo", "train", "evaluate", "predict", "cv", "bench", "trace", "generate", "summary", "completion", "accuracy");
        for (CommandLine cl : commands) {
            String name = cl.getCommandSpec().qualifiedName(" ");
            String[] args = (name.replaceFirst("^ganglion ?", "") + " --help").strip().split(" ");
            Cli help = Cli.run(args);
            assertThat(help.exitCode()).as(name).isZero();
            assertThat(help.out()).as(name).containsPattern("(?m)^Examples?:$");
            String afterExample = help.out().substring(help.out().lastIndexOf("Example"));
            assertThat(afterExample).as(name).contains(name + " ");
        }
    }

    private static void collect(CommandLine cl, List<CommandLine> out) {
        for (CommandLine sub : cl.getSubcommands().values()) {
            if (sub.getCommandName().equals("help") || out.contains(sub)) continue;
            out.add(sub);
            collect(sub, out);
        }
    }

    @Test
    void quietWorksBeforeAndAfterTheCommand() throws IOException {
        Path csv = dir.resolve("font.csv");
        Cli gen = Cli.run("--quiet", "generate", "font", "--samples", "200", "--out", csv.toString());
        assertThat(gen.exitCode()).isZero();
        assertThat(gen.err()).isEmpty();
        List<String> train = List.of("train", "--data", csv.toString(), "--label", "light_font", "--layers", "3:relu,1:sigmoid",
                "--scale", "255", "--epochs", "3");
        Cli loud = Cli.run(with(train, "--out", dir.resolve("a").toString()));
        assertThat(loud.err()).contains("epoch 1/3").contains("epoch 3/3").doesNotContain("\r");   // not a terminal: plain lines
        for (List<String> args : List.of(cat(List.of("-q"), train), cat(train, List.of("--quiet")), cat(train, List.of("-q")))) {
            Cli quiet = Cli.run(with(args, "--out", dir.resolve("b").toString()));
            assertThat(quiet.exitCode()).as(quiet.err()).isZero();
            assertThat(quiet.err()).as(String.join(" ", args)).isEmpty();
            assertThat(quiet.out()).contains("model saved to");
        }
    }

    private static String[] with(List<String> a, String... more) {
        List<String> all = new ArrayList<>(a);
        all.addAll(List.of(more));
        return all.toArray(String[]::new);
    }

    private static List<String> cat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }
}
