package org.exfacegan.runner.cli;

import java.io.PrintWriter;
import java.util.ServiceLoader;
import org.exfacegan.api.ExfaceganException;
import org.exfacegan.npy.NpyException;
import org.exfacegan.runner.config.ConfigException;
import picocli.CommandLine;

/** Builds the command line with the project's exit codes and error printing. */
public final class Cli {
    public static final int OK = 0;
    public static final int RUN_FAILURE = 1;
    public static final int BAD_INPUT = 2;

    private Cli() {}

    public static int execute(PrintWriter out, PrintWriter err, String... args) {
        CommandLine cl = new CommandLine(new ExfaceganCommand());
        for (CommandExtension extension : ServiceLoader.load(CommandExtension.class, Cli.class.getClassLoader())) {
            cl.addSubcommand(extension.command());
        }
        cl.setOut(out);
        cl.setErr(err);
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
