// Masked language modelling over the strings of a probabilistic context-free grammar (BERT-style masks).
package curex.engine.data;

import curex.kernels.CounterRng;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A masked-LM task over a {@link Grammar}. A sample draws a root uniformly from {@code roots}, derives a string from
 * it and reads {@code BOS terminals... EOS}, padded with PAD to its batch's longest sequence. Token ids: terminals
 * {@code 0 .. t-1}, then BOS = t, EOS = t+1, PAD = t+2, MASK = t+3; the vocabulary is t + 4 rounded up to a multiple
 * of 8 (cfg3b: terminals 0..2, BOS 3, EOS 4, PAD 5, MASK 6, vocabulary 8).
 * <p>
 * Masks follow BERT: each terminal position is selected with probability 0.3 and labelled with its terminal; every
 * other position (BOS, EOS, PAD, unselected) is labelled {@link #ignoreIndex()}. A selected position's input becomes
 * MASK with probability 0.8, stays with 0.1 and becomes a uniformly random terminal with 0.1. Row r of training
 * batch {@code step} is a pure function of (seed, step, r): the root, the derivation and the mask each come from
 * their own stream of the row's key, so the same string masked anew at another step is a different draw. The held-out
 * set comes from a stream of the seed disjoint from training.
 */
public final class PcfgTask implements Task {
    public static final String NAME = "pcfg";
    public static final String KEY_GRAMMAR = "pcfg.grammar";
    public static final String KEY_GRAMMAR_NAME = "pcfg.grammar.name";
    public static final String KEY_ROOTS = "pcfg.roots";
    /** Size of the held-out evaluation set unless a caller asks otherwise. */
    public static final int DEFAULT_HELD_OUT = 4096;
    /** The share of terminal positions selected for prediction, and how a selected input is corrupted. */
    public static final double SELECT = 0.3, TO_MASK = 0.8, KEEP = 0.1;
    private static final int IGNORE = -100;
    private static final long TRAIN_STREAM = 0x7063666774726E31L;    // stream tags keep the streams apart
    private static final long HELD_OUT_STREAM = 0x70636667686C6431L;
    private static final long ROOT_STREAM = 0x726F6F745F763031L;
    private static final long DERIVATION_STREAM = 0x6465726976763031L;
    private static final long MASK_STREAM = 0x6D61736B5F763031L;
    private static final long REPLACE_STREAM = 0x7265706C63763031L;

    /** Terminals a string may have at most (its attention alone would take 16 GB a head beyond that). */
    public static final int MAX_TERMINALS = 1 << 16;

    private final Grammar grammar;
    private final String[] roots;
    private final int terminals;
    private final BertMasking masking;
    private final int maxLength;       // BOS + the longest derivation + EOS

    /** Masked LM over the strings {@code grammar} derives from {@code roots}, each root equally likely. */
    public PcfgTask(Grammar grammar, String... roots) {
        if (roots == null || roots.length == 0)
            throw new IllegalArgumentException("pcfg task: give at least one root nonterminal of grammar "
                    + grammar.name());
        for (int i = 0; i < roots.length; i++) {
            if (!grammar.isNonterminal(roots[i]))
                throw new IllegalArgumentException("pcfg task: root '" + roots[i] + "' is not a nonterminal of grammar "
                        + grammar.name());
            if (Arrays.asList(roots).indexOf(roots[i]) != i)
                throw new IllegalArgumentException("pcfg task: root '" + roots[i] + "' is listed twice");
        }
        this.grammar = grammar;
        this.roots = roots.clone();
        this.terminals = grammar.terminals();
        this.masking = new BertMasking(SELECT, TO_MASK, KEEP, mask(), 0, terminals);
        int longest = 0;
        for (String r : roots) {
            int n = grammar.maxTerminals(r);
            if (n > MAX_TERMINALS)
                throw new IllegalArgumentException("pcfg task: root '" + r + "' of grammar " + grammar.name()
                        + " derives strings of up to " + (n == Integer.MAX_VALUE ? "2^31 or more" : n)
                        + " terminals; a sequence holds at most " + MAX_TERMINALS);
            longest = Math.max(longest, n);
        }
        this.maxLength = longest + 2;
    }

    /** Rebuilds the task from checkpoint metadata written by {@link #metadata()}. */
    static PcfgTask fromMetadata(Map<String, String> meta) {
        String text = entry(meta, KEY_GRAMMAR), name = entry(meta, KEY_GRAMMAR_NAME), roots = entry(meta, KEY_ROOTS);
        Grammar g;
        try {
            g = Grammar.parse(text, "metadata " + KEY_GRAMMAR);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("pcfg metadata '" + KEY_GRAMMAR + "' is not a valid grammar: "
                    + e.getMessage(), e);
        }
        if (!g.name().equals(name.strip()))
            throw new IllegalArgumentException("pcfg metadata '" + KEY_GRAMMAR_NAME + "' is '" + name
                    + "' but the grammar in '" + KEY_GRAMMAR + "' is named '" + g.name() + "'");
        try {
            return new PcfgTask(g, Arrays.stream(roots.split(",")).map(String::strip).toArray(String[]::new));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("pcfg metadata '" + KEY_ROOTS + "' is bad: " + e.getMessage(), e);
        }
    }

    private static String entry(Map<String, String> meta, String key) {
        String v = meta.get(key);
        if (v == null || v.isBlank()) throw new IllegalArgumentException("pcfg metadata lacks '" + key + "'");
        return v;
    }

    public Grammar grammar() {
        return grammar;
    }

    /** The root nonterminals (a copy). */
    public String[] roots() {
        return roots.clone();
    }

    public int bos() {
        return terminals;
    }

    public int eos() {
        return terminals + 1;
    }

    @Override
    public int padToken() {
        return terminals + 2;
    }

    public int mask() {
        return terminals + 3;
    }

    @Override
    public int vocabulary() {
        return (terminals + 4 + 7) / 8 * 8;
    }

    @Override
    public int classes() {
        return vocabulary();
    }

    @Override
    public int ignoreIndex() {
        return IGNORE;
    }

    @Override
    public String name() {
        return NAME;
    }

    /** {BOS + the longest string the roots derive + EOS}. */
    @Override
    public int[] sampleShape() {
        return new int[]{maxLength};
    }

    @Override
    public Input input() {
        return Input.TOKENS;
    }

    @Override
    public Readout readout() {
        return Readout.TOKENS;
    }

    /**
     * Training batch {@code step} of stream {@code seed}: tokens and labels (size, length), length the batch's longest
     * sequence. Row r is the same for any batch larger than r.
     */
    @Override
    public void fill(long seed, long step, Batch into) {
        if (step < 0) throw new IllegalArgumentException("pcfg task: step must be >= 0, got " + step);
        fill(CounterRng.bits(CounterRng.bits(seed, TRAIN_STREAM), step), into);
    }

    @Override
    public Batch heldOut(long seed, int count) {
        Batch b = Batch.of(this, count);
        fill(CounterRng.bits(seed, HELD_OUT_STREAM), b);
        return b;
    }

    /** {@link #heldOut(long, int)} of {@link #DEFAULT_HELD_OUT} samples. */
    public Batch heldOut(long seed) {
        return heldOut(seed, DEFAULT_HELD_OUT);
    }

    @Override
    public Map<String, String> metadata() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(Tasks.KEY, NAME);
        m.put(KEY_GRAMMAR, grammar.canonicalText());
        m.put(KEY_GRAMMAR_NAME, grammar.name());
        m.put(KEY_ROOTS, String.join(",", roots));
        return m;
    }

    @Override
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", NAME);
        m.put("grammar", grammar.name());
        m.put("roots", List.of(roots));
        m.put("vocabulary", vocabulary());
        m.put("maxLength", maxLength);
        return m;
    }

    @Override
    public String describe() {
        return NAME + "(" + grammar.name() + ", roots " + String.join(",", roots) + ")";
    }

    @Override
    public String id() {
        return NAME + "-" + grammar.name() + "-r" + String.join("-", roots);
    }

    /** Samples every row at stride maxLength, then packs the rows to the longest one and masks them. */
    private void fill(long key, Batch b) {
        int size = b.size();
        int[] x = b.tokens(), y = b.labels();
        if (x == null || x.length < (long) size * maxLength || y.length < (long) size * maxLength)
            throw new IllegalArgumentException("pcfg task: a batch of " + size + " token sequences of up to " + maxLength
                    + " tokens is needed, got " + b);
        int[] lengths = new int[size];
        long[] rowKeys = new long[size];
        int longest = 0;
        for (int r = 0; r < size; r++) {
            long rowKey = CounterRng.bits(key, r);
            String root = roots[Math.floorMod(CounterRng.bits(rowKey, ROOT_STREAM), roots.length)];
            int base = r * maxLength;
            int n = grammar.sample(root, CounterRng.bits(rowKey, DERIVATION_STREAM), x, base + 1);
            x[base] = bos();
            x[base + n + 1] = eos();
            rowKeys[r] = rowKey;
            lengths[r] = n + 2;
            longest = Math.max(longest, n + 2);
        }
        b.setLength(longest);
        for (int r = 0; r < size; r++) {
            int base = r * longest;
            System.arraycopy(x, r * maxLength, x, base, lengths[r]);   // base <= r * maxLength: rows move left
            Arrays.fill(x, base + lengths[r], base + longest, padToken());
            Arrays.fill(y, base, base + longest, IGNORE);
            long maskKey = CounterRng.bits(rowKeys[r], MASK_STREAM);
            long replaceKey = CounterRng.bits(rowKeys[r], REPLACE_STREAM);
            masking.apply(x, y, base, 1, lengths[r] - 1, maskKey, replaceKey, null);
        }
    }

    @Override
    public String toString() {
        return "PcfgTask(" + grammar + ", roots " + String.join(",", roots) + ")";
    }
}
