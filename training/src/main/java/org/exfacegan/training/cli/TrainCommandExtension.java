package org.exfacegan.training.cli;

import org.exfacegan.runner.cli.CommandExtension;

/** Adds {@code train} to the exfacegan command line when the training jar is on the class path. */
public final class TrainCommandExtension implements CommandExtension {
    @Override
    public Object command() {
        return new TrainCommand();
    }
}
