// Tokenizes a corpus once into the training and held-out token files of a text task, and reuses them while unchanged.
package curex.engine.text;

import curex.engine.data.TextTask;
import curex.engine.data.TokenFile;
import curex.engine.io.Json;
import curex.engine.io.Sha256;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Preparing a corpus writes, in the folder {@code <cache>/<corpus name>-<key>} (the cache being {@code --cache}, or
 * {@code .curex-cache} beside the corpus), {@code train.tokens} and {@code heldout.tokens} ({@link TokenFile}s: each
 * document's tokens followed by [SEP], in corpus order, a document going to the held-out file when
 * {@link HeldOutSplit} says so), {@code tokenizer.json} (the tokenizer given, copied, or one trained on the training
 * documents with the vocabulary size asked for) and last {@code prepared.json} (the key and the counts). The key
 * ({@link TextCacheKey}) covers the corpus files' paths, sizes and modification times, the held-out fraction and the
 * tokenizer; when the folder of the same key holds a complete preparation, it is reused without reading the corpus.
 * A changed corpus or tokenizer gets a new folder, so models trained on the old files can still be evaluated; old
 * folders are never deleted. Encoding is one streaming pass holding one document at a time.
 */
public final class TextPreparation {
    public static final int DEFAULT_VOCAB_SIZE = 4096;
    public static final String CACHE_FOLDER = ".curex-cache";
    static final String TRAIN = "train.tokens";
    static final String HELD_OUT = "heldout.tokens";
    static final String TOKENIZER = "tokenizer.json";
    static final String RECORD = "prepared.json";

    private TextPreparation() {
    }

    /**
     * What to prepare: the corpus, a tokenizer file or null (then one of {@code vocabSize} tokens is trained), the
     * held-out fraction, and the cache folder or null for {@code .curex-cache} beside the corpus.
     */
    public record Options(Path corpus, Path tokenizer, int vocabSize, double heldOutFraction, Path cache) {
        public Options {
            if (corpus == null) throw new IllegalArgumentException("a text task needs a corpus (--corpus)");
            if (!(heldOutFraction > 0 && heldOutFraction < 1))
                throw new IllegalArgumentException("--heldout-fraction must lie in (0, 1) for a text task (its held-out "
                        + "documents are what evaluation reads), got " + heldOutFraction);
            if (tokenizer == null && vocabSize < SpecialTokens.BASE_VOCABULARY)
                throw new IllegalArgumentException("--vocab-size must be at least " + SpecialTokens.BASE_VOCABULARY
                        + " (5 special tokens and 256 bytes), got " + vocabSize);
        }

        /** The cache folder: the one given, or {@code .curex-cache} in the folder that holds the corpus. */
        public Path cacheRoot() {
            if (cache != null) return cache;
            Path parent = corpus.toAbsolutePath().normalize().getParent();
            return (parent == null ? Path.of(".") : parent).resolve(CACHE_FOLDER);
        }
    }

    /** Follows a preparation: the passes over the corpus and the bytes and tokens they have read. */
    public interface Listener {
        Listener NONE = new Listener() {
        };

        /** A pass starts: {@code what} is "counting" (for a tokenizer) or "encoding"; {@code totalBytes} on disk. */
        default void passStarted(String what, long totalBytes) {
        }

        /** Bytes read from disk so far in this pass, and tokens written (0 while counting). */
        default void progress(long fileBytes, long tokens) {
        }

        /** The pass has read the whole corpus. */
        default void passDone() {
        }

        /** The tokenizer's merges are being learnt (after the counting pass). */
        default void learningMerges() {
        }
    }

    /** The folder this preparation uses (it may not exist yet). */
    public static Path folder(Options o) {
        Corpus corpus = new Corpus(o.corpus());
        return folder(o, TextCacheKey.of(corpus.files(), o));
    }

    private static Path folder(Options o, TextCacheKey key) {
        Path name = o.corpus().toAbsolutePath().normalize().getFileName();
        String base = name == null ? "corpus" : name.toString().replaceAll("[^A-Za-z0-9._-]", "_");
        return o.cacheRoot().resolve(base + "-" + key.shortHex());
    }

    /**
     * Prepares the corpus, or reuses the preparation of the same key. A {@link CorpusException} for a corpus that is
     * missing, empty, or leaves no training or no held-out document; a {@link TokenizerFileException} for a tokenizer
     * that cannot be read or lacks BERT's special tokens at the first ids.
     */
    public static PreparedText prepare(Options o, Listener listener) throws IOException {
        Corpus corpus = new Corpus(o.corpus());
        TextCacheKey key = TextCacheKey.of(corpus.files(), o);
        Path dir = folder(o, key);
        PreparedText old = reusable(dir, key, o.heldOutFraction());
        if (old != null) return old;
        checkWritable(o.cacheRoot());
        long start = System.nanoTime();
        boolean created = !Files.exists(dir);
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {   // a folder the checks above could not foresee (a virtual file system, say)
            throw new CorpusException("cannot create the token cache folder '" + dir + "' (" + e.getClass()
                    .getSimpleName() + ": " + e.getMessage() + "); choose another folder with --cache DIR", e);
        }
        try {
            return prepareInto(dir, corpus, key, o, listener, start);
        } catch (IOException | RuntimeException e) {
            if (created) removeFolder(dir, e);   // a failed preparation leaves no half-filled cache entry behind
            throw e;
        }
    }

    /** Deletes {@code dir} and what is in it, adding any failure to do so to {@code failure}. */
    private static void removeFolder(Path dir, Throwable failure) {
        try (java.util.stream.Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(java.util.Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        } catch (IOException e) {
            failure.addSuppressed(e);
        }
    }

    private static PreparedText prepareInto(Path dir, Corpus corpus, TextCacheKey key, Options o, Listener listener,
                                            long start) throws IOException {
        Files.deleteIfExists(dir.resolve(RECORD));
        BpeTokenizer tokenizer;
        String training;
        if (o.tokenizer() != null) {
            tokenizer = TokenizerJson.load(o.tokenizer());
            specials(tokenizer, o.tokenizer());
            Files.copy(o.tokenizer(), dir.resolve(TOKENIZER), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            training = "given: " + o.tokenizer().toAbsolutePath().normalize();
        } else {
            listener.passStarted("counting", corpus.fileBytes());
            TokenizerTraining.Result r = TokenizerTraining.run(corpus, new TokenizerTraining.Options(o.vocabSize(),
                    o.heldOutFraction(), TokenizerTraining.DEFAULT_SAMPLE_BYTES, TokenizerTraining.DEFAULT_MAX_WORDS),
                    bytes -> listener.progress(bytes, 0), () -> {
                        listener.passDone();
                        listener.learningMerges();
                    });
            tokenizer = r.tokenizer();
            TokenizerJson.save(tokenizer, dir.resolve(TOKENIZER));
            training = "trained: vocabulary " + tokenizer.vocabularySize() + " (asked " + o.vocabSize() + ")"
                    + (r.sampled() ? "; " + r.sampling() : "");
        }
        TextTask.Specials sp = specials(tokenizer, o.tokenizer() != null ? o.tokenizer() : dir.resolve(TOKENIZER));
        PreparedText p = encode(corpus, o, tokenizer, sp, dir, training, start, listener);
        Json.writeAtomic(dir.resolve(RECORD), record(p, key, o));
        return p;
    }

    private static PreparedText encode(Corpus corpus, Options o, BpeTokenizer tokenizer, TextTask.Specials sp, Path dir,
                                       String training, long start, Listener listener) throws IOException {
        HeldOutSplit split = new HeldOutSplit(o.heldOutFraction());
        int v = tokenizer.vocabularySize();
        long[] n = new long[4];                 // training documents, held-out documents, their tokens
        int[][] buf = {new int[1024]};
        listener.passStarted("encoding", corpus.fileBytes());
        CorpusStats stats;
        try (TokenFile.Writer train = TokenFile.writer(dir.resolve(TRAIN), v);
             TokenFile.Writer held = TokenFile.writer(dir.resolve(HELD_OUT), v)) {
            try {
                stats = corpus.read(doc -> {
                    int[] ids = tokenizer.encode(doc.text());
                    if (buf[0].length <= ids.length) buf[0] = new int[Math.max(ids.length + 1, 2 * buf[0].length)];
                    System.arraycopy(ids, 0, buf[0], 0, ids.length);
                    buf[0][ids.length] = sp.sep();
                    int side = split.heldOut(doc.text()) ? 1 : 0;
                    try {
                        (side == 1 ? held : train).document(buf[0], ids.length + 1);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                    n[side]++;
                    n[2 + side] += ids.length + 1;
                    return true;
                }, bytes -> listener.progress(bytes, n[2] + n[3]));
            } catch (UncheckedIOException e) {
                throw e.getCause();
            }
            listener.progress(corpus.fileBytes(), n[2] + n[3]);
            listener.passDone();
            if (n[1] == 0)
                throw new CorpusException("corpus '" + o.corpus() + "': none of its " + stats.documents() + " documents "
                        + "is held out at --heldout-fraction " + o.heldOutFraction() + "; a text task evaluates on "
                        + "held-out documents: raise --heldout-fraction or use a larger corpus");
            if (n[0] == 0)
                throw new CorpusException("corpus '" + o.corpus() + "': all of its " + stats.documents() + " documents "
                        + "are held out at --heldout-fraction " + o.heldOutFraction() + "; lower it or use a larger corpus");
            train.commit();
            held.commit();
        }
        return new PreparedText(dir, false, sp, v, n[0], n[1], n[2], n[3], stats.replacedChars(), stats.skippedLines(),
                training, (System.nanoTime() - start) / 1e9, o.heldOutFraction(),
                stats.skippedLines() > 0 ? stats.firstBadLine() : null, tokensSha256(dir));
    }

    /**
     * BERT's special tokens as a text task needs them: [PAD], [CLS], [SEP] and [MASK] present, and the special tokens
     * taking the ids from 0 up (every id below the last special one special), as curex's tokenizers have them.
     */
    static TextTask.Specials specials(BpeTokenizer t, Path file) {
        Map<String, Integer> sp = t.specials();
        for (String s : List.of(SpecialTokens.PAD, SpecialTokens.CLS, SpecialTokens.SEP, SpecialTokens.MASK))
            if (!sp.containsKey(s))
                throw new TokenizerFileException(file, "has no special token " + s + "; a text task needs BERT's "
                        + String.join(" ", SpecialTokens.BERT) + " (curex tokenizer train writes them)");
        int count = sp.values().stream().mapToInt(Integer::intValue).max().orElse(-1) + 1;
        if (count != sp.size() || count >= t.vocabularySize())
            throw new TokenizerFileException(file, "its special tokens must take the first ids, 0 to " + (sp.size() - 1)
                    + ", followed by ordinary tokens (as curex tokenizer train writes them)");
        return new TextTask.Specials(sp.get(SpecialTokens.PAD), sp.get(SpecialTokens.CLS), sp.get(SpecialTokens.SEP),
                sp.get(SpecialTokens.MASK), count);
    }

    private static Map<String, Object> record(PreparedText p, TextCacheKey key, Options o) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("key", key.hex());
        m.put("key_text", key.text().lines().toList());
        m.put("corpus", o.corpus().toAbsolutePath().normalize().toString());
        TextTask.Specials s = p.specials();
        m.put("specials", List.of(s.pad(), s.cls(), s.sep(), s.mask(), s.count()));
        m.put("vocabulary", p.vocabulary());
        m.put("train_documents", p.trainDocuments());
        m.put("heldout_documents", p.heldOutDocuments());
        m.put("train_tokens", p.trainTokens());
        m.put("heldout_tokens", p.heldOutTokens());
        m.put("replaced_chars", p.replacedChars());
        m.put("skipped_lines", p.skippedLines());
        m.put("tokenizer", p.tokenizerTraining());
        m.put("seconds", p.seconds());
        m.put("tokens_sha256", p.tokensSha256());
        return m;
    }

    /** The SHA-256 of the token files in {@code dir}, training then held out. */
    private static String tokensSha256(Path dir) throws IOException {
        return Sha256.of(dir.resolve(TRAIN), dir.resolve(HELD_OUT));
    }

    /** The preparation in {@code dir} if it is complete and of {@code key} (which holds the fraction), else null. */
    private static PreparedText reusable(Path dir, TextCacheKey key, double heldOutFraction) {
        Path rec = dir.resolve(RECORD);
        if (!Files.isRegularFile(rec)) return null;
        try {
            Map<String, Object> m = Json.readMap(rec);
            if (!key.hex().equals(m.get("key"))) return null;
            int[] s = ((List<?>) m.get("specials")).stream().mapToInt(x -> ((Number) x).intValue()).toArray();
            long trainTokens = num(m, "train_tokens"), heldTokens = num(m, "heldout_tokens");
            TokenFile train = TokenFile.open(dir.resolve(TRAIN)), held = TokenFile.open(dir.resolve(HELD_OUT));
            int v = (int) num(m, "vocabulary");
            if (train.length() != trainTokens || held.length() != heldTokens || train.vocabulary() != v
                    || held.vocabulary() != v)
                return null;
            return new PreparedText(dir, true, new TextTask.Specials(s[0], s[1], s[2], s[3], s[4]), v,
                    num(m, "train_documents"), num(m, "heldout_documents"), trainTokens, heldTokens,
                    num(m, "replaced_chars"), num(m, "skipped_lines"), String.valueOf(m.get("tokenizer")), 0,
                    heldOutFraction, null, m.get("tokens_sha256") instanceof String h ? h : tokensSha256(dir));
        } catch (IOException | RuntimeException e) {
            return null;                        // incomplete or damaged: prepare again
        }
    }

    private static long num(Map<String, Object> m, String k) {
        return ((Number) m.get(k)).longValue();
    }

    private static void checkWritable(Path root) {
        Path p = root.toAbsolutePath().normalize();
        while (p != null && !Files.exists(p)) p = p.getParent();
        if (p != null && !(Files.isDirectory(p) && Files.isWritable(p)))
            throw new CorpusException("cannot write the token cache '" + root + "' ('" + p + "' is "
                    + (Files.isDirectory(p) ? "not writable" : "not a folder") + "); choose another folder with --cache DIR");
    }
}
