// Option value converters that reject bad input with a message saying what was expected and what was given.
package curex.cli;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

import java.util.Arrays;

/** Converters for numeric options with ranges and for comma-separated width lists. */
public final class Converters {
    private Converters() {
    }

    private static long parseLong(String s, String expected) {
        try {
            return Long.parseLong(s.strip().replace("_", ""));
        } catch (NumberFormatException e) {
            throw new TypeConversionException("expected " + expected + ", got '" + s + "'");
        }
    }

    private static double parseDouble(String s, String expected) {
        try {
            double d = Double.parseDouble(s.strip());
            if (Double.isFinite(d)) return d;
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new TypeConversionException("expected " + expected + ", got '" + s + "'");
    }

    /** An integer >= 1. */
    public static final class PositiveInt implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String s) {
            long v = parseLong(s, "a positive integer");
            if (v < 1 || v > Integer.MAX_VALUE) throw new TypeConversionException("expected a positive integer, got '" + s + "'");
            return (int) v;
        }
    }

    /** An integer >= 0. */
    public static final class NonNegativeInt implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String s) {
            long v = parseLong(s, "an integer >= 0");
            if (v < 0 || v > Integer.MAX_VALUE) throw new TypeConversionException("expected an integer >= 0, got '" + s + "'");
            return (int) v;
        }
    }

    /** A long >= 1 (step counts). */
    public static final class PositiveLong implements ITypeConverter<Long> {
        @Override
        public Long convert(String s) {
            long v = parseLong(s, "a positive integer");
            if (v < 1) throw new TypeConversionException("expected a positive integer, got '" + s + "'");
            return v;
        }
    }

    /** A long >= 0 (intervals where 0 means "never"). */
    public static final class NonNegativeLong implements ITypeConverter<Long> {
        @Override
        public Long convert(String s) {
            long v = parseLong(s, "an integer >= 0");
            if (v < 0) throw new TypeConversionException("expected an integer >= 0, got '" + s + "'");
            return v;
        }
    }

    /** A finite number > 0. */
    public static final class PositiveDouble implements ITypeConverter<Double> {
        @Override
        public Double convert(String s) {
            double v = parseDouble(s, "a positive number");
            if (v <= 0) throw new TypeConversionException("expected a positive number, got '" + s + "'");
            return v;
        }
    }

    /** A finite number >= 0. */
    public static final class NonNegativeDouble implements ITypeConverter<Double> {
        @Override
        public Double convert(String s) {
            double v = parseDouble(s, "a number >= 0");
            if (v < 0) throw new TypeConversionException("expected a number >= 0, got '" + s + "'");
            return v;
        }
    }

    /** A number in [0, 1) (momentum). */
    public static final class UnitInterval implements ITypeConverter<Double> {
        @Override
        public Double convert(String s) {
            double v = parseDouble(s, "a number in [0, 1)");
            if (v < 0 || v >= 1) throw new TypeConversionException("expected a number in [0, 1), got '" + s + "'");
            return v;
        }
    }

    /** A list of layer widths; a wrapper so that picocli treats the whole list as one option value. */
    public record WidthList(int[] values) {
        @Override
        public String toString() {
            return Arrays.stream(values).mapToObj(Integer::toString).collect(java.util.stream.Collectors.joining(","));
        }
    }

    /** Comma-separated positive integers, e.g. {@code 512,256}. */
    public static final class Widths implements ITypeConverter<WidthList> {
        @Override
        public WidthList convert(String s) {
            String[] parts = s.split(",", -1);
            try {
                int[] w = Arrays.stream(parts).map(String::strip).mapToInt(Integer::parseInt).toArray();
                if (w.length > 0 && Arrays.stream(w).allMatch(x -> x > 0)) return new WidthList(w);
            } catch (NumberFormatException e) {
                // reported below
            }
            throw new TypeConversionException("expected comma-separated positive integers, got '" + s + "'");
        }
    }
}
