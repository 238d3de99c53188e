package org.exfacegan.runner.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.exfacegan.api.ExfaceganException;
import org.exfacegan.runner.config.ConfigLoader;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Parameters;

/** Placeholder until the pipeline lands: validates the config, then says it cannot run yet. */
@Command(name = "compare", mixinStandardHelpOptions = true,
        description = "Run one experiment across several backbones and compare them. (not built yet)")
final class CompareCommand implements Callable<Integer> {
    @ParentCommand
    ExfaceganCommand parent;

    @Parameters(index = "0", paramLabel = "CONFIG", description = "experiment config (JSON)")
    Path config;

    @Override
    public Integer call() {
        new ConfigLoader(parent.global.loadPlugins()).load(config);
        throw new ExfaceganException("'exfacegan compare' is not built yet: the config is valid, but this version "
                + "cannot compare backbones (see the open issues)");
    }
}
