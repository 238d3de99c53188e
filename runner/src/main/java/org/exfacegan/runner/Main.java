package org.exfacegan.runner;

import java.io.PrintWriter;
import org.exfacegan.runner.cli.Cli;

/** Entry point of the exfacegan command line. */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        System.exit(Cli.execute(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args));
    }
}
