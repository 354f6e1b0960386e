// Supplies curex's version (from the build) and the Java runtime's to --version.
package curex.cli;

import picocli.CommandLine;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The version filtered into {@code version.properties} at build time, else the jar manifest's. */
public final class VersionProvider implements CommandLine.IVersionProvider {

    /** The curex version, or "unknown" when run from unfiltered sources. */
    public static String version() {
        try (InputStream in = VersionProvider.class.getResourceAsStream("version.properties")) {
            if (in != null) {
                Properties p = new Properties();
                p.load(in);
                String v = p.getProperty("version", "");
                if (!v.isEmpty() && !v.startsWith("${")) return v;
            }
        } catch (IOException ignored) {
            // fall through to the manifest
        }
        String v = VersionProvider.class.getPackage().getImplementationVersion();
        return v == null ? "unknown" : v;
    }

    @Override
    public String[] getVersion() {
        return new String[]{"curex " + version(),
                "Java " + Runtime.version() + " (" + System.getProperty("java.vendor", "?") + ")"};
    }
}
