package dev.ganglion.cli;

import dev.ganglion.Ganglion;
import dev.ganglion.io.DataFormatException;
import dev.ganglion.io.ModelFormatException;
import dev.ganglion.tensor.ShapeException;
import dev.ganglion.train.TrainingDivergedException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.io.UncheckedIOException;

/** The {@code ganglion} command: the entry point of the launcher script. */
@Command(name = "ganglion",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = "Neural networks on the JVM: train, evaluate, inspect and use models.",
        subcommands = {DemoCommand.class, TrainCommand.class, EvaluateCommand.class, PredictCommand.class, CvCommand.class, BenchCommand.class,
                TraceCommand.class, GenerateCommand.class, SummaryCommand.class, PlotCommand.class, ExportCommand.class,
                ImportCommand.class, CompletionCommand.class, ServeCommand.class,
                CommandLine.HelpCommand.class},
        footer = {"", "Start with:  ganglion demo", "Exit codes: 0 success, 2 bad input or usage, 1 internal error."})
public final class Main implements Runnable {
    /** Exit code for user errors (bad input, bad usage). */
    static final int USER_ERROR = 2;

    @Option(names = "--verbose", scope = CommandLine.ScopeType.INHERIT,
            description = "Show stack traces and internal details.")
    boolean verbose;

    @Option(names = {"-q", "--quiet"}, scope = CommandLine.ScopeType.INHERIT,
            description = "No progress output on stderr (results and errors still print).")
    boolean quiet;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.err);
    }

    public static void main(String[] args) {
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs the command line with the given streams; returns the exit code (used by tests). */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        Main main = new Main();
        CommandLine cli = new CommandLine(main);
        cli.setOut(out);
        cli.setErr(err);
        cli.setParameterExceptionHandler((ex, a) -> {
            err.println("ganglion: " + ex.getMessage());
            err.println("ganglion: see 'ganglion " + commandName(ex.getCommandLine()) + " --help'");
            return USER_ERROR;
        });
        cli.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            if (isUserError(ex)) {
                err.println("ganglion: " + oneLine(ex.getMessage()));
                if (main.verbose) ex.printStackTrace(err);
                return USER_ERROR;
            }
            err.println("ganglion: internal error: " + ex);
            if (main.verbose) ex.printStackTrace(err);
            else err.println("ganglion: run again with --verbose for the stack trace");
            return 1;
        });
        String[] expanded;
        try {
            expanded = Checkpoints.expandResume(args);   // train --resume DIR: the checkpoint's own command line
        } catch (UserError | ModelFormatException e) {
            err.println("ganglion: " + oneLine(e.getMessage()));
            return USER_ERROR;
        }
        int code = cli.execute(expanded);
        out.flush();
        err.flush();
        return code;
    }

    private static String commandName(CommandLine cl) {
        String q = cl.getCommandSpec().qualifiedName(" ");
        return q.startsWith("ganglion ") ? q.substring("ganglion ".length()) : "";
    }

    private static boolean isUserError(Exception ex) {
        return ex instanceof UserError || ex instanceof DataFormatException || ex instanceof ModelFormatException
                || ex instanceof ShapeException || ex instanceof TrainingDivergedException
                || ex instanceof IllegalArgumentException || ex instanceof UncheckedIOException;
    }

    private static String oneLine(String s) {
        return s == null ? "(no message)" : s.replace('\n', ' ').strip();
    }

    static boolean verbose(CommandLine.Model.CommandSpec spec) {
        CommandLine.Model.CommandSpec root = spec;
        while (root.parent() != null) root = root.parent();
        return root.userObject() instanceof Main m && m.verbose;
    }

    /** Whether the global {@code --quiet} was given (on any command). */
    static boolean quiet(CommandLine.Model.CommandSpec spec) {
        CommandLine.Model.CommandSpec root = spec;
        while (root.parent() != null) root = root.parent();
        return root.userObject() instanceof Main m && m.quiet;
    }

    /** Prints the library version and the compute backend. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[]{
                    "ganglion " + Ganglion.version(),
                    "java " + Runtime.version() + " (" + System.getProperty("java.vendor") + ")",
                    "compute: " + Ganglion.backend()};
        }
    }
}
