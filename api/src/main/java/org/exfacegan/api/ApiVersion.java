package org.exfacegan.api;

/**
 * Version of the SPI. A plugin reports the version it was compiled against by returning
 * {@link #CURRENT} from {@link Provider#apiVersion()} in its own code: the constant is inlined
 * by javac, so the value is the one of the api jar the plugin was built with.
 * A different MAJOR is incompatible; a plugin built for a newer MINOR than the host is refused.
 */
public final class ApiVersion {
    public static final int MAJOR = 2;
    public static final int MINOR = 0;
    public static final String CURRENT = MAJOR + "." + MINOR;

    private ApiVersion() {}

    /** Parses "MAJOR.MINOR"; returns {major, minor}. */
    public static int[] parse(String version) {
        if (version == null || !version.matches("\\d{1,4}\\.\\d{1,4}")) {
            throw new IllegalArgumentException("API version must look like MAJOR.MINOR, got: " + version);
        }
        String[] parts = version.split("\\.");
        return new int[] {Integer.parseInt(parts[0]), Integer.parseInt(parts[1])};
    }

    /** Null when a plugin built for {@code version} can run on this host, else the reason. */
    public static String incompatibility(String version) {
        int[] v = parse(version);
        if (v[0] != MAJOR) {
            return "built for API " + version + " but this host provides API " + CURRENT + " (major version differs)";
        }
        if (v[1] > MINOR) {
            return "built for API " + version + " but this host provides only API " + CURRENT;
        }
        return null;
    }
}
