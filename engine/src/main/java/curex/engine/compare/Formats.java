// Number formatting for reports: counts with separators, FLOPs in engineering form, bytes, accuracies.
package curex.engine.compare;

import java.util.Locale;

/** Every method returns "-" for null. */
final class Formats {
    private Formats() {
    }

    /** 14,300. */
    static String count(Number v) {
        return v == null ? "-" : String.format(Locale.ROOT, "%,d", Math.round(v.doubleValue()));
    }

    /** 1.23e9. */
    static String flops(Number v) {
        if (v == null) return "-";
        double d = v.doubleValue();
        if (d == 0) return "0";
        return String.format(Locale.ROOT, "%.3g", d).replace("e+0", "e").replace("e+", "e");
    }

    /** 344 KB, 7.1 MB (powers of 1000). */
    static String bytes(Number v) {
        if (v == null) return "-";
        double b = v.doubleValue();
        if (b < 1000) return Math.round(b) + " B";
        String[] units = {"KB", "MB", "GB", "TB"};
        int u = -1;
        while (b >= 1000 && u < units.length - 1) {
            b /= 1000;
            u++;
        }
        return String.format(Locale.ROOT, b < 10 ? "%.2f %s" : b < 100 ? "%.1f %s" : "%.0f %s", b, units[u]);
    }

    /** 0.9832 as "98.32%". */
    static String percent(Number v) {
        return v == null ? "-" : String.format(Locale.ROOT, "%.2f%%", 100 * v.doubleValue());
    }

    /** 12.3. */
    static String seconds(Number v) {
        return v == null ? "-" : String.format(Locale.ROOT, "%.1f", v.doubleValue());
    }

    /** 3.4x. */
    static String ratio(double v) {
        return String.format(Locale.ROOT, v >= 10 ? "%.0fx" : "%.1fx", v);
    }
}
