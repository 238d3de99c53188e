package org.exfacegan.runner.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * What every subcommand has: the global options (plugins folder, quiet) and its output streams.
 * Public for the subcommands other modules of the application add through {@link CommandExtension}.
 */
public abstract class Subcommand implements Callable<Integer> {
    @ParentCommand
    ExfaceganCommand parent;

    @Spec
    CommandSpec spec;

    protected GlobalOptions global() {
        return parent.global;
    }

    protected PrintWriter out() {
        return spec.commandLine().getOut();
    }

    protected PrintWriter err() {
        return spec.commandLine().getErr();
    }

    /** Where a run says what it changed on its own (kept settings, repairs, a restart): stderr, even with --quiet. */
    java.util.function.Consumer<String> notices() {
        PrintWriter err = err();
        return line -> {
            err.println(line);
            err.flush();
        };
    }
}
