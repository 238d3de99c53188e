package org.exfacegan.runner.cli;

import java.io.PrintWriter;
import java.util.Map;
import java.util.ServiceLoader;
import org.exfacegan.api.ExfaceganException;
import org.exfacegan.npy.NpyException;
import org.exfacegan.runner.config.ConfigException;
import org.exfacegan.runtime.EngineModule;
import picocli.CommandLine;

/** Builds the command line with the project's exit codes and error printing. */
public final class Cli {
    public static final int OK = 0;
    public static final int RUN_FAILURE = 1;
    public static final int BAD_INPUT = 2;

    /**
     * Commands of application modules a build may leave out (their {@link CommandExtension}s are
     * then missing), with what to say instead of picocli's "unmatched argument".
     */
    static final Map<String, String> LEFT_OUT = Map.of("train", "exfacegan train needs the training module (it trains on "
            + "DJL PyTorch), which this build of the application does not include (an ONNX-only build, mvn ... -Donnx-only, "
            + "leaves it out); build it with: " + EngineModule.FULL_BUILD + " (docs/training.md)");

    private Cli() {}

    public static int execute(PrintWriter out, PrintWriter err, String... args) {
        CommandLine cl = new CommandLine(new ExfaceganCommand());
        for (CommandExtension extension : ServiceLoader.load(CommandExtension.class, Cli.class.getClassLoader())) {
            cl.addSubcommand(extension.command());
        }
        cl.setOut(out);
        cl.setErr(err);
        if (args.length > 0 && LEFT_OUT.containsKey(args[0]) && !cl.getSubcommands().containsKey(args[0])) {
            err.println("error: " + LEFT_OUT.get(args[0]));
            err.flush();
            return BAD_INPUT;
        }
        cl.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (OutOfMemory.in(e)) {
                return OutOfMemory.report(err);
            }
            if (e instanceof ConfigException) {
                err.println("error: " + e.getMessage());
                return BAD_INPUT;
            }
            if (e instanceof ExfaceganException || e instanceof NpyException) { // NpyException: a .npy file it cannot read
                err.println("error: " + e.getMessage());
                return RUN_FAILURE;
            }
            err.println("internal error (please report it): " + e);
            e.printStackTrace(err);
            return RUN_FAILURE;
        });
        int code;
        try {
            code = cl.execute(args);
        } catch (OutOfMemoryError e) { // picocli passes Errors through; the heap the command held is free again here
            code = OutOfMemory.report(err);
        }
        out.flush();
        err.flush();
        return code;
    }
}
