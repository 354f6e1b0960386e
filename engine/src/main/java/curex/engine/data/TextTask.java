// Masked language modelling on tokenized text: windows of a packed token stream, BERT masks, a fixed held-out split.
package curex.engine.data;

import curex.engine.settings.SettingException;
import curex.kernels.CounterRng;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Samples are {@code [CLS] t_o .. t_(o+L-3) [SEP]} for a window of {@code L - 2} tokens of a packed stream
 * (documents concatenated, each followed by [SEP], as {@link TokenFile}s hold them): training windows start at a
 * uniform offset of the training stream, a pure function of (seed, step, row); held-out windows are {@code count}
 * evenly spaced windows of the held-out stream. Ids below {@code specials} are special tokens ([PAD], [CLS], [SEP],
 * [MASK], ...): never selected for prediction, never drawn as replacements. Masks follow BERT: each ordinary token is
 * selected with probability {@code maskRate}; a selected input becomes [MASK] with probability 0.8, stays with 0.1,
 * and becomes a uniformly random ordinary token with 0.1 ({@link BertMasking}). With whole-word masking (a
 * {@link WordBoundaries} table given), whole words are selected instead, about {@code maskRate} of the ordinary tokens
 * of each window, and each of their tokens is masked, kept or replaced as above ({@link WholeWordMasking}). Every
 * sample has the same length, so nothing is padded.
 */
public final class TextTask implements Task {
    public static final String NAME = "text";
    public static final double DEFAULT_MASK_RATE = 0.15;
    private static final int IGNORE = -100;
    /**
     * The metadata keys of the held-out fraction of the corpus, of its tokenizer's SHA-256 and of the SHA-256 of its
     * token files ({@link Origin}).
     */
    public static final String HELD_OUT_FRACTION_KEY = "text.heldout_fraction", TOKENIZER_KEY = "text.tokenizer_sha256",
            TOKENS_KEY = "text.tokens_sha256";
    /** The metadata keys that hold where the token files are, rather than what they hold. */
    public static final java.util.Set<String> PATH_KEYS = java.util.Set.of("text.train", "text.heldout");
    private static final long TRAIN_STREAM = 0x7465787474726E31L;
    private static final long HELD_OUT_STREAM = 0x74657874686C6431L;
    private static final long OFFSET_STREAM = 0x6F66667365743031L;
    private static final long MASK_STREAM = 0x6D61736B5F763031L;
    private static final long REPLACE_STREAM = 0x7265706C63763031L;

    /**
     * How a corpus became these token files: the share of its documents held out (NaN: not known), the SHA-256 of the
     * tokenizer that encoded it and that of the token files, training then held out (null: not known). Metadata
     * written before they were recorded holds none of them (or only the first two): a resumed run compares the token
     * files' digest, which tells a corpus edited without changing its token counts from the one the run started on.
     */
    public record Origin(double heldOutFraction, String tokenizerSha256, String tokensSha256) {
        public static final Origin UNKNOWN = new Origin(Double.NaN, null, null);

        /** As the metadata records it; an IllegalArgumentException for a fraction that is not a number. */
        public static Origin of(Map<String, String> meta) {
            String f = meta.get(HELD_OUT_FRACTION_KEY);
            try {
                return new Origin(f == null ? Double.NaN : Double.parseDouble(f), meta.get(TOKENIZER_KEY),
                        meta.get(TOKENS_KEY));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("the metadata of a text task is incomplete or damaged");
            }
        }
    }

    /** The special ids of a vocabulary; every id below {@code count} is special. */
    public record Specials(int pad, int cls, int sep, int mask, int count) {
        public Specials {
            for (int id : new int[]{pad, cls, sep, mask})
                if (id < 0 || id >= count)
                    throw new IllegalArgumentException("special token ids must lie in [0, " + count + "), got " + id);
        }
    }

    private final TokenFile train, heldOut;
    private final Specials specials;
    private final int length;
    private final double maskRate;
    private final BertMasking masking;
    private final WholeWordMasking wholeWords;
    private final Origin origin;

    /** Windows of {@code length} tokens ([CLS] and [SEP] included) over the two streams, masked token by token. */
    public TextTask(TokenFile train, TokenFile heldOut, Specials specials, int length, double maskRate) {
        this(train, heldOut, specials, length, maskRate, null);
    }

    /**
     * Windows of {@code length} tokens over the two streams; with {@code words} (the vocabulary's word boundaries),
     * whole words are masked, and with null, single tokens.
     */
    public TextTask(TokenFile train, TokenFile heldOut, Specials specials, int length, double maskRate,
                    WordBoundaries words) {
        this(train, heldOut, specials, length, maskRate, words, Origin.UNKNOWN);
    }

    /**
     * {@link #TextTask(TokenFile, TokenFile, Specials, int, double, WordBoundaries)} over token files of the given
     * {@code origin}, which the metadata records so that a model evaluated on its corpus again gets the same split and
     * can tell another tokenizer from its own.
     */
    public TextTask(TokenFile train, TokenFile heldOut, Specials specials, int length, double maskRate,
                    WordBoundaries words, Origin origin) {
        if (length < 3) throw new SettingException("text task: sequence length must be >= 3 ([CLS], a token, "
                + "[SEP]), got " + length, SettingException.Setting.SEQ_LEN);
        if (train.vocabulary() != heldOut.vocabulary())
            throw new IllegalArgumentException("text task: the training and held-out token files have vocabularies of "
                    + train.vocabulary() + " and " + heldOut.vocabulary());
        if (specials.count() >= train.vocabulary())
            throw new IllegalArgumentException("text task: a vocabulary of " + train.vocabulary() + " ids has no ordinary "
                    + "token after " + specials.count() + " special ones");
        for (TokenFile f : new TokenFile[]{train, heldOut})
            if (f.length() < length - 2)   // a larger held-out share helps the held-out file and hurts the other
                throw new IllegalArgumentException("text task: " + f.path() + " holds " + f.length() + " tokens, fewer "
                        + "than one window of " + (length - 2) + " (--seq-len " + length + " less [CLS] and [SEP]); use a "
                        + "shorter --seq-len, a " + (f == heldOut ? "larger" : "smaller") + " --heldout-fraction or a "
                        + "larger corpus");
        this.train = train;
        this.heldOut = heldOut;
        this.specials = specials;
        this.length = length;
        this.maskRate = maskRate;
        this.masking = new BertMasking(maskRate, 0.8, 0.1, specials.mask(), specials.count(),
                train.vocabulary() - specials.count());
        if (words != null && words.vocabulary() != train.vocabulary())
            throw new IllegalArgumentException("text task: word boundaries for a vocabulary of " + words.vocabulary()
                    + " ids, but the token files have " + train.vocabulary());
        this.wholeWords = words == null ? null : new WholeWordMasking(masking, words);
        this.origin = origin;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int[] sampleShape() {
        return new int[]{length};
    }

    @Override
    public Input input() {
        return Input.TOKENS;
    }

    @Override
    public Readout readout() {
        return Readout.TOKENS;
    }

    @Override
    public int classes() {
        return vocabulary();
    }

    @Override
    public int vocabulary() {
        return train.vocabulary();
    }

    @Override
    public int ignoreIndex() {
        return IGNORE;
    }

    @Override
    public int padToken() {
        return specials.pad();
    }

    public Specials specials() {
        return specials;
    }

    public double maskRate() {
        return maskRate;
    }

    /** Whether whole words are masked together (else single tokens). */
    public boolean wholeWordMasking() {
        return wholeWords != null;
    }

    public TokenFile trainTokens() {
        return train;
    }

    public TokenFile heldOutTokens() {
        return heldOut;
    }

    @Override
    public void fill(long seed, long step, Batch into) {
        if (step < 0) throw new IllegalArgumentException("text task: step must be >= 0, got " + step);
        long key = CounterRng.bits(CounterRng.bits(seed, TRAIN_STREAM), step);
        long starts = train.length() - (length - 2) + 1;
        fill(into, train, key, r -> Math.floorMod(CounterRng.bits(CounterRng.bits(key, r), OFFSET_STREAM), starts));
    }

    /**
     * How many different windows {@link #heldOut} can take (its offsets lie in [0, this)); a larger count repeats
     * windows, each with its own mask.
     */
    public long distinctHeldOutWindows() {
        return Math.max(1, heldOut.length() - (length - 2));
    }

    @Override
    public Batch heldOut(long seed, int count) {
        Batch b = Batch.of(this, count);
        long span = distinctHeldOutWindows();   // 1 for a file of exactly one window: offset 0 every time
        fill(b, heldOut, CounterRng.bits(seed, HELD_OUT_STREAM), r -> span * r / count);
        return b;
    }

    private void fill(Batch b, TokenFile stream, long key, java.util.function.IntToLongFunction offset) {
        int size = b.size(), n = length;
        int[] x = b.tokens(), y = b.labels();
        if (x == null || x.length < (long) size * n || y.length < (long) size * n)
            throw new IllegalArgumentException("text task: a batch of " + size + " sequences of " + n
                    + " tokens is needed, got " + b);
        b.setLength(n);
        int ordinary = specials.count();
        for (int r = 0; r < size; r++) {
            int base = r * n;
            x[base] = specials.cls();
            stream.copy(offset.applyAsLong(r), x, base + 1, n - 2);
            x[base + n - 1] = specials.sep();
            java.util.Arrays.fill(y, base, base + n, IGNORE);
            long rowKey = CounterRng.bits(key, r), maskKey = CounterRng.bits(rowKey, MASK_STREAM),
                    replaceKey = CounterRng.bits(rowKey, REPLACE_STREAM);
            if (wholeWords == null) masking.apply(x, y, base, 1, n - 1, maskKey, replaceKey, t -> t >= ordinary);
            else wholeWords.apply(x, y, base, 1, n - 1, maskKey, replaceKey, t -> t >= ordinary);
        }
    }

    /** Checkpoint metadata: the shape of the task and where its token files are, to reopen them for evaluation. */
    @Override
    public Map<String, String> metadata() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(Tasks.KEY, NAME);
        m.put("text.seq_len", Integer.toString(length));
        m.put("text.mask_rate", Double.toString(maskRate));
        m.put("text.whole_word_masking", Boolean.toString(wholeWordMasking()));
        if (wholeWords != null) m.put("text.word_boundaries", wholeWords.words().encode());
        m.put("text.vocabulary", Integer.toString(vocabulary()));
        m.put("text.specials", specials.pad() + "," + specials.cls() + "," + specials.sep() + "," + specials.mask() + ","
                + specials.count());
        m.put("text.train", train.path().toAbsolutePath().toString());
        m.put("text.train_tokens", Long.toString(train.length()));
        m.put("text.heldout", heldOut.path().toAbsolutePath().toString());
        m.put("text.heldout_tokens", Long.toString(heldOut.length()));
        if (!Double.isNaN(origin.heldOutFraction()))
            m.put(HELD_OUT_FRACTION_KEY, Double.toString(origin.heldOutFraction()));
        if (origin.tokenizerSha256() != null) m.put(TOKENIZER_KEY, origin.tokenizerSha256());
        if (origin.tokensSha256() != null) m.put(TOKENS_KEY, origin.tokensSha256());
        return m;
    }

    /**
     * Reopens the token files the metadata names; an error saying what to do when they are gone or changed. Metadata
     * written before whole-word masking existed has no {@code text.whole_word_masking}: tokens were masked singly.
     */
    static TextTask fromMetadata(Map<String, String> meta) {
        try {
            int[] sp = java.util.Arrays.stream(meta.get("text.specials").split(",")).mapToInt(Integer::parseInt).toArray();
            TokenFile train = reopen(meta, "text.train"), held = reopen(meta, "text.heldout");
            WordBoundaries words = wholeWordMasking(meta)
                    ? WordBoundaries.decode(meta.get("text.word_boundaries"), train.vocabulary()) : null;
            return new TextTask(train, held, new Specials(sp[0], sp[1], sp[2], sp[3], sp[4]),
                    Integer.parseInt(meta.get("text.seq_len")), Double.parseDouble(meta.get("text.mask_rate")), words,
                    Origin.of(meta));
        } catch (NullPointerException | NumberFormatException | ArrayIndexOutOfBoundsException e) {
            throw new IllegalArgumentException("the metadata of a text task is incomplete or damaged");
        }
    }

    /** Where the token files came from: what {@link #TextTask(TokenFile, TokenFile, Specials, int, double,
     * WordBoundaries, Origin)} was given, or the metadata recorded. */
    public Origin origin() {
        return origin;
    }

    /** Whether the metadata records whole-word masking (absent: no). */
    public static boolean wholeWordMasking(Map<String, String> meta) {
        return Boolean.parseBoolean(meta.get("text.whole_word_masking"));
    }

    private static TokenFile reopen(Map<String, String> meta, String key) {
        Path p = Path.of(meta.get(key));
        long expected = Long.parseLong(meta.get(key + "_tokens"));
        if (!Files.isRegularFile(p))
            throw new IllegalArgumentException("the model was trained on the token file " + p + ", which is gone; pass "
                    + "--corpus (and --tokenizer) to prepare it again");
        try {
            TokenFile f = TokenFile.open(p);
            if (f.length() != expected)
                throw new IllegalArgumentException("the token file " + p + " now holds " + f.length() + " tokens, not the "
                        + expected + " the model was trained on; pass --corpus to prepare it again");
            return f;
        } catch (IOException e) {
            throw new IllegalArgumentException(e.getMessage());
        }
    }

    @Override
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", NAME);
        m.put("seq_len", length);
        m.put("mask_rate", maskRate);
        if (wholeWords != null) m.put("whole_word_masking", true);   // absent when off: settings recorded before it agree
        m.put("vocabulary", vocabulary());
        m.put("train_tokens", train.length());
        m.put("heldout_tokens", heldOut.length());
        m.put("train", train.path().getFileName().toString());
        return m;
    }

    @Override
    public String describe() {
        return NAME + "(" + String.format(java.util.Locale.ROOT, "%,d", train.length()) + " tokens, vocabulary "
                + vocabulary() + ", length " + length + (wholeWords != null ? ", whole-word masking" : "") + ")";
    }

    @Override
    public String id() {
        return NAME + "-v" + vocabulary() + "-l" + length;
    }
}
