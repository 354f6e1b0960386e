// Option value converters that reject bad input with a message saying what was expected and what was given.
package curex.cli;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

import java.util.Arrays;
import java.util.List;

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

    /** A count of things to keep, >= 1, or "all" (0). */
    public static final class KeepCount implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String s) {
            if (s.strip().equalsIgnoreCase("all")) return 0;
            long v = parseLong(s, "a positive integer or 'all'");
            if (v < 1 || v > Integer.MAX_VALUE)
                throw new TypeConversionException("expected a positive integer or 'all', got '" + s + "'");
            return (int) v;
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

    /** A number in (0, 1): a share that must leave something on both sides (a mask rate, a held-out fraction). */
    public static final class OpenUnitInterval implements ITypeConverter<Double> {
        @Override
        public Double convert(String s) {
            double v = parseDouble(s, "a number in (0, 1)");
            if (!(v > 0 && v < 1)) throw new TypeConversionException("expected a number in (0, 1), got '" + s + "'");
            return v;
        }
    }

    /**
     * The constant of an option enum whose word ({@code toString()}, as help lists it) equals the value, ignoring
     * case; a usage error listing the words otherwise.
     */
    public static <E extends Enum<E>> ITypeConverter<E> words(Class<E> type) {
        return s -> {
            for (E e : type.getEnumConstants()) if (e.toString().equalsIgnoreCase(s.strip())) return e;
            throw new TypeConversionException("expected one of " + Arrays.stream(type.getEnumConstants())
                    .map(Object::toString).collect(java.util.stream.Collectors.joining(", ")) + ", got '" + s + "'");
        };
    }

    /** The seeds of a comparison: "3" (seeds 0, 1, 2), "3,4,5" (those), or "10..12" (10, 11, 12). */
    public record SeedList(List<Long> values) {
        @Override
        public String toString() {
            return values.stream().map(String::valueOf).collect(java.util.stream.Collectors.joining(","));
        }
    }

    /** Parses {@link SeedList}s. */
    public static final class Seeds implements ITypeConverter<SeedList> {
        private static final int MAX = 10_000;

        @Override
        public SeedList convert(String s) {
            String t = s.strip();
            List<Long> out = new java.util.ArrayList<>();
            if (t.contains("..")) {
                String[] ends = t.split("\\.\\.", -1);
                long lo = parseLong(ends[0], "a range of seeds A..B"), hi = parseLong(ends[1], "a range of seeds A..B");
                if (ends.length != 2 || hi < lo)
                    throw new TypeConversionException("expected a range of seeds A..B with A <= B, got '" + s + "'");
                if (hi - lo >= MAX)
                    throw new TypeConversionException("expected at most " + MAX + " seeds, got " + (hi - lo + 1)
                            + " in '" + s + "'");
                for (long v = lo; v <= hi; v++) out.add(v);
            } else if (t.contains(",")) {
                for (String part : t.split(",", -1)) out.add(parseLong(part, "comma-separated seeds"));
                if (new java.util.HashSet<>(out).size() != out.size())
                    throw new TypeConversionException("seeds listed twice in '" + s + "'");
            } else {
                long n = parseLong(t, "a number of seeds, a list 3,4,5 or a range 3..5");
                if (n < 1 || n > MAX) throw new TypeConversionException("expected 1.." + MAX + " seeds, got '" + s + "'");
                for (long v = 0; v < n; v++) out.add(v);
            }
            return new SeedList(List.copyOf(out));
        }
    }

    /** A list of layer widths; a wrapper so that picocli treats the whole list as one option value. */
    public record WidthList(int[] values) {
        @Override
        public String toString() {
            if (values.length == 0) return "auto";
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

    /** "auto" (an empty list: every layer, the automatic stage length deciding) or a list of positive integers. */
    public static final class Stages implements ITypeConverter<WidthList> {
        @Override
        public WidthList convert(String s) {
            if (s.strip().equalsIgnoreCase("auto")) return new WidthList(new int[0]);
            try {
                return new Widths().convert(s);
            } catch (TypeConversionException e) {
                throw new TypeConversionException("expected auto or comma-separated positive integers, got '" + s + "'");
            }
        }
    }

    /** AdamW's two decay rates, each in [0, 1); written back as "b1,b2". */
    public record BetaPair(double beta1, double beta2) {
        @Override
        public String toString() {
            return beta1 + "," + beta2;
        }
    }

    /** {@code B1,B2}, e.g. {@code 0.9,0.95}. */
    public static final class Betas implements ITypeConverter<BetaPair> {
        @Override
        public BetaPair convert(String s) {
            String[] parts = s.split(",", -1);
            if (parts.length == 2) {
                double b1 = parseDouble(parts[0], "two numbers in [0, 1)"), b2 = parseDouble(parts[1], "two numbers in [0, 1)");
                if (b1 >= 0 && b1 < 1 && b2 >= 0 && b2 < 1) return new BetaPair(b1, b2);
            }
            throw new TypeConversionException("expected two numbers in [0, 1) separated by a comma (0.9,0.999), got '"
                    + s + "'");
        }
    }
}
