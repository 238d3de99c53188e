package org.exfacegan.runner.cli;

import org.exfacegan.api.ApiVersion;
import picocli.CommandLine.IVersionProvider;

/** Version of the runner jar (from its manifest) and of the API it hosts. */
final class VersionProvider implements IVersionProvider {
    @Override
    public String[] getVersion() {
        String v = ExfaceganCommand.class.getPackage().getImplementationVersion();
        return new String[] {"exfacegan " + (v == null ? "(development build)" : v) + ", plugin API " + ApiVersion.CURRENT};
    }
}
