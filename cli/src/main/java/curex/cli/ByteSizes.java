// Byte counts on the command line: a plain number or one with a K, M or G suffix (powers of 1024).
package curex.cli;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

import java.util.Locale;

/** Parses "1000", "64K", "256M", "2G" (also "256MB", "256MiB"); writes sizes as "12.3 MB". */
final class ByteSizes implements ITypeConverter<Long> {

    @Override
    public Long convert(String s) {
        String t = s.strip().toUpperCase(Locale.ROOT).replace("_", "");
        if (t.endsWith("IB")) t = t.substring(0, t.length() - 2);
        else if (t.endsWith("B")) t = t.substring(0, t.length() - 1);
        long unit = 1;
        if (!t.isEmpty()) {
            switch (t.charAt(t.length() - 1)) {
                case 'K' -> unit = 1L << 10;
                case 'M' -> unit = 1L << 20;
                case 'G' -> unit = 1L << 30;
                default -> unit = 1;
            }
        }
        if (unit > 1) t = t.substring(0, t.length() - 1);
        try {
            long v = Long.parseLong(t.strip());
            if (v >= 1 && v <= Long.MAX_VALUE / unit) return v * unit;
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new TypeConversionException("expected a positive number of bytes (e.g. 1000000, 64K, 256M, 2G), got '" + s + "'");
    }

    /** "999 B", "12.3 KB", "45.6 MB", "1.2 GB" (powers of 1000). */
    static String format(long bytes) {
        if (bytes < 1000) return bytes + " B";
        String[] units = {"KB", "MB", "GB", "TB"};
        double v = bytes;
        int u = -1;
        while (v >= 1000 && u < units.length - 1) {
            v /= 1000;
            u++;
        }
        return String.format(Locale.ROOT, "%.1f %s", v, units[u]);
    }
}
