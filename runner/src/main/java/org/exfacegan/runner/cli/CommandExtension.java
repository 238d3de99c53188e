package org.exfacegan.runner.cli;

/**
 * A subcommand that another module of the application (a jar on the application's class path, not
 * a plugin) adds to the command line, e.g. {@code train} from the training module. Found with
 * {@link java.util.ServiceLoader} ({@code META-INF/services/org.exfacegan.runner.cli.CommandExtension});
 * the command object is a picocli {@code @Command}, usually a {@link Subcommand}. Host-internal: not
 * part of the plugin API.
 */
public interface CommandExtension {
    /** A new instance of the picocli command. */
    Object command();
}
