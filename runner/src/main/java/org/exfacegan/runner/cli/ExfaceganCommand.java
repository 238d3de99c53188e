package org.exfacegan.runner.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** The top command: only dispatches to its subcommands. */
@Command(name = "exfacegan", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Synthetic face identities from pretrained GANs (ExFaceGAN), with pluggable backbones.",
        subcommands = {PluginsCommand.class, ValidateCommand.class, RunCommand.class, CompareCommand.class, ReportCommand.class,
            EmbedCommand.class, VerifyCommand.class, RenderCommand.class, ExportBoundariesCommand.class, EvaluateCommand.class},
        footer = {"", "Exit codes: 0 ok, 1 run failure, 2 bad usage or bad config."})
public final class ExfaceganCommand implements Runnable {
    @Mixin
    GlobalOptions global;

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "a command is required");
    }
}
