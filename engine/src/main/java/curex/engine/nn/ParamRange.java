// A contiguous range [from, to) of a model's flat parameter buffer, e.g. the prefix holding layers 1..j.
package curex.engine.nn;

/** Element range {@code [from, to)} inside a {@link Parameters} buffer. */
public record ParamRange(long from, long to) {

    public ParamRange {
        if (from < 0 || to < from) throw new IllegalArgumentException("bad parameter range [" + from + ", " + to + ")");
    }

    public long length() {
        return to - from;
    }

    public boolean contains(ParamRange other) {
        return other.from >= from && other.to <= to;
    }
}
