package org.exfacegan.runner.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.exfacegan.api.ExfaceganException;
import org.exfacegan.runner.config.ConfigLoader;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Parameters;

/** Placeholder until the pipeline lands: validates the config, then says it cannot run yet. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Run the ExFaceGAN pipeline for one experiment config. (not built yet)")
final class RunCommand implements Callable<Integer> {
    @ParentCommand
    ExfaceganCommand parent;

    @Parameters(index = "0", paramLabel = "CONFIG", description = "experiment config (JSON)")
    Path config;

    @Override
    public Integer call() {
        new ConfigLoader(parent.global.loadPlugins()).load(config);
        throw new ExfaceganException("'exfacegan run' is not built yet: the config is valid, but this version "
                + "cannot run the pipeline (see the open issues)");
    }
}
