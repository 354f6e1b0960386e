// Trains a tokenizer on a corpus: reads it once, holds out a split, samples if large, counts pre-tokens, learns merges.
package curex.engine.text;

import java.util.Locale;
import java.util.function.LongConsumer;

/**
 * One training run. Documents that {@link HeldOutSplit} holds out are never counted. When the corpus is larger than
 * {@code sampleBytes} (its size on disk, a gzip file counted as {@link #GZIP_RATIO} times its size), each training
 * document is kept with probability {@code sampleBytes / size}, decided by a stable hash of its text (salt
 * {@link #SAMPLE_SALT}, independent of the held-out split), and reading stops once {@code sampleBytes} bytes of text
 * have been counted; the result says so. Pre-token counts are capped at {@code maxWords} distinct ones
 * ({@link WordCounts}).
 */
public final class TokenizerTraining {
    /** The default cap on the text counted: 256 MiB. */
    public static final long DEFAULT_SAMPLE_BYTES = 256L << 20;
    /** The default cap on distinct pre-tokens held while counting. */
    public static final int DEFAULT_MAX_WORDS = 4_000_000;
    static final double GZIP_RATIO = 4;
    static final long SAMPLE_SALT = 0x5A4D504C45L;

    private TokenizerTraining() {
    }

    /** What to train. */
    public record Options(int vocabSize, double heldOutFraction, long sampleBytes, int maxWords) {
        public Options {
            if (vocabSize < SpecialTokens.BASE_VOCABULARY)
                throw new IllegalArgumentException("--vocab-size must be at least " + SpecialTokens.BASE_VOCABULARY
                        + " (5 special tokens and 256 bytes), got " + vocabSize);
            new HeldOutSplit(heldOutFraction);
            if (sampleBytes < 1) throw new IllegalArgumentException("--sample-bytes must be positive, got " + sampleBytes);
        }

        public Options(int vocabSize) {
            this(vocabSize, HeldOutSplit.DEFAULT_FRACTION, DEFAULT_SAMPLE_BYTES, DEFAULT_MAX_WORDS);
        }
    }

    /**
     * The tokenizer and what training read: the corpus counters, the training and held-out documents, the bytes of
     * text counted, whether the counted text was a sample ({@code sampling} describes it, or is null), distinct and
     * dropped pre-tokens, and the seconds taken.
     */
    public record Result(BpeTokenizer tokenizer, CorpusStats corpus, long trainingDocuments, long heldOutDocuments,
                         long countedBytes, String sampling, int distinctWords, long prunedWords, double seconds) {
        public boolean sampled() {
            return sampling != null;
        }
    }

    /** Trains on {@code corpus}; {@code fileBytesRead} follows the reading (bytes from disk so far). */
    public static Result run(Corpus corpus, Options o, LongConsumer fileBytesRead) {
        return run(corpus, o, fileBytesRead, () -> {
        });
    }

    /** As {@link #run(Corpus, Options, LongConsumer)}, calling {@code readingDone} before the merges are learnt. */
    public static Result run(Corpus corpus, Options o, LongConsumer fileBytesRead, Runnable readingDone) {
        long start = System.nanoTime();
        HeldOutSplit split = new HeldOutSplit(o.heldOutFraction());
        long estimate = 0;
        for (java.nio.file.Path f : corpus.files()) {
            long size = corpus.fileBytes(f);
            estimate += CorpusFormat.of(f).gzip() ? (long) (size * GZIP_RATIO) : size;
        }
        double rate = estimate <= o.sampleBytes() ? 1 : (double) o.sampleBytes() / estimate;
        WordCounts counts = new WordCounts(o.maxWords());
        long[] n = new long[5];     // training documents, held out, counted documents, counted bytes, stopped (1)
        CorpusStats stats = corpus.read(doc -> {
            if (split.heldOut(doc.text())) {
                n[1]++;
                return true;
            }
            n[0]++;
            if (rate < 1 && DocumentHash.unit(doc.text(), SAMPLE_SALT) >= rate) return true;
            n[2]++;
            n[3] += utf8Length(doc.text());
            counts.add(doc.text());
            if (n[3] < o.sampleBytes()) return true;
            n[4] = 1;
            return false;
        }, fileBytesRead);
        if (n[2] == 0)
            throw new CorpusException("corpus '" + corpus.path() + "': no training document left after holding out "
                    + n[1] + " of " + stats.documents() + " (held-out fraction " + o.heldOutFraction() + ")");
        boolean stopped = n[4] == 1;
        String sampling = null;
        if (rate < 1 || stopped)
            sampling = String.format(Locale.ROOT, "counted %d of %d training documents read (%d bytes of text; "
                            + "--sample-bytes %d, corpus about %d bytes)%s", n[2], n[0], n[3], o.sampleBytes(), estimate,
                    stopped ? ", stopped reading at the limit" : "");
        readingDone.run();
        BpeTokenizer tokenizer = BpeTrainer.train(counts, o.vocabSize());
        return new Result(tokenizer, stats, n[0], n[1], n[3], sampling, counts.distinct(), counts.prunedWords(),
                (System.nanoTime() - start) / 1e9);
    }

    /** The length in UTF-8 bytes of {@code s} (a lone surrogate counted as U+FFFD's three). */
    static long utf8Length(String s) {
        long n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) n++;
            else if (c < 0x800) n += 2;
            else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                n += 4;
                i++;
            } else n += 3;
        }
        return n;
    }
}
