// A byte-level BPE tokenizer: its vocabulary and merges, encoding text to ids and decoding ids to text.
package curex.engine.text;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Byte-level BPE as GPT-2 and Hugging Face's {@code tokenizers} define it. Encoding replaces lone surrogates
 * ({@link WellFormedText}), splits the text into pre-tokens ({@link PreTokenizer}), takes each pre-token's UTF-8
 * bytes as byte tokens and, within it, repeatedly merges every occurrence (left to right) of the adjacent pair with
 * the lowest merge rank until no pair is a merge. Every byte is a token, so any text encodes without {@code [UNK]},
 * and {@code decode(encode(s))} is {@code s} for every well-formed string. Special tokens are never read from text
 * ({@link SpecialTokens}); decoding writes a special id as its text ("[CLS]"). Immutable and thread-safe (the cache
 * of encoded pre-tokens is concurrent and bounded).
 */
public final class BpeTokenizer {
    /** The most pre-tokens whose encoding is kept (by default). */
    public static final int CACHE_LIMIT = 1 << 17;

    private final List<String> tokens;
    private final Map<String, Integer> ids;
    private final Map<String, Integer> specials;
    private final boolean[] special;
    private final int[] byteIds = new int[256];
    private final List<String[]> mergePairs;
    private final MergeTable table;
    private final byte[][] tokenBytes;
    private final ConcurrentHashMap<String, int[]> cache = new ConcurrentHashMap<>();
    private final int cacheLimit;

    /**
     * A tokenizer with {@code tokens} (the token of id i at index i; byte-level strings, or the text of a special
     * token), {@code specials} (text -> id, each naming its own entry of {@code tokens}) and {@code merges} (pairs of
     * tokens, highest priority first). An {@link IllegalArgumentException} names the first problem: a token listed
     * twice, a byte without a token, a merge of an unknown token or whose result is not in the vocabulary.
     */
    public BpeTokenizer(List<String> tokens, Map<String, Integer> specials, List<String[]> merges) {
        this(tokens, specials, merges, CACHE_LIMIT);
    }

    private BpeTokenizer(List<String> tokens, Map<String, Integer> specials, List<String[]> merges, int cacheLimit) {
        this.cacheLimit = cacheLimit;
        this.tokens = List.copyOf(tokens);
        this.specials = Collections.unmodifiableMap(new LinkedHashMap<>(specials));
        int n = tokens.size();
        ids = new HashMap<>(n * 2);
        special = new boolean[n];
        tokenBytes = new byte[n][];
        specials.forEach((text, id) -> {
            if (id < 0 || id >= n || !tokens.get(id).equals(text))
                throw new IllegalArgumentException("special token '" + text + "' has id " + id + ", but that id is "
                        + (id < 0 || id >= n ? "outside the vocabulary (" + n + " tokens)" : "'" + tokens.get(id) + "'"));
            special[id] = true;
            tokenBytes[id] = text.getBytes(StandardCharsets.UTF_8);
        });
        for (int id = 0; id < n; id++) {
            String t = tokens.get(id);
            Integer before = ids.putIfAbsent(t, id);
            if (before != null) throw new IllegalArgumentException("token '" + t + "' has two ids, " + before + " and " + id);
            if (special[id]) continue;
            tokenBytes[id] = ByteAlphabet.decode(t);
            if (tokenBytes[id] == null || t.isEmpty())
                throw new IllegalArgumentException("token '" + t + "' (id " + id + ") is not a byte-level token");
        }
        for (int b = 0; b < 256; b++) {
            Integer id = ids.get(String.valueOf(ByteAlphabet.charOf(b)));
            if (id == null || special[id])
                throw new IllegalArgumentException("byte " + b + " ('" + ByteAlphabet.charOf(b) + "') has no token");
            byteIds[b] = id;
        }
        int[][] resolved = new int[merges.size()][];
        List<String[]> pairs = new ArrayList<>(merges.size());
        for (int r = 0; r < merges.size(); r++) {
            String[] m = merges.get(r);
            Integer left = modelId(m[0]), right = modelId(m[1]), result = modelId(m[0] + m[1]);
            String what = "merge " + (r + 1) + " '" + m[0] + " " + m[1] + "'";
            if (left == null) throw new IllegalArgumentException(what + " refers to unknown token '" + m[0] + "'");
            if (right == null) throw new IllegalArgumentException(what + " refers to unknown token '" + m[1] + "'");
            if (result == null)
                throw new IllegalArgumentException(what + ": its result '" + m[0] + m[1] + "' is not in the vocabulary");
            resolved[r] = new int[]{left, right, result};
            pairs.add(new String[]{m[0], m[1]});
        }
        this.mergePairs = Collections.unmodifiableList(pairs);
        this.table = new MergeTable(resolved);
    }

    /** The same tokenizer with a cache of at most {@code limit} encoded pre-tokens (0: none; for benchmarks). */
    public BpeTokenizer withCacheLimit(int limit) {
        return new BpeTokenizer(tokens, specials, mergePairs, limit);
    }

    private Integer modelId(String token) {
        Integer id = ids.get(token);
        return id == null || special[id] ? null : id;
    }

    /** Number of tokens, specials included. */
    public int vocabularySize() {
        return tokens.size();
    }

    /** The token of {@code id}: a byte-level string ("Ġthe"), or a special token's text. */
    public String token(int id) {
        return tokens.get(id);
    }

    /** The bytes token {@code id} stands for (a special token's: its text's UTF-8), a copy. */
    public byte[] bytes(int id) {
        return tokenBytes[id].clone();
    }

    /** The tokens in id order. */
    public List<String> tokens() {
        return tokens;
    }

    /** Special token text -> id. */
    public Map<String, Integer> specials() {
        return specials;
    }

    /** The id of a special token such as {@link SpecialTokens#MASK}; an IllegalArgumentException if it has none. */
    public int specialId(String text) {
        Integer id = specials.get(text);
        if (id == null) throw new IllegalArgumentException("the tokenizer has no special token " + text);
        return id;
    }

    /** The merges as token pairs, highest priority first. */
    public List<String[]> merges() {
        return mergePairs;
    }

    /** The token ids of {@code text}. */
    public int[] encode(String text) {
        String s = WellFormedText.of(text);
        IntList out = new IntList(s.length() / 3 + 4);
        PreTokenizer.split(s, (a, b) -> out.addAll(encodePiece(s.substring(a, b))));
        return out.toArray();
    }

    private int[] encodePiece(String piece) {
        int[] cached = cache.get(piece);
        if (cached != null) return cached;
        byte[] bytes = piece.getBytes(StandardCharsets.UTF_8);
        int[] sym = new int[bytes.length];
        for (int i = 0; i < bytes.length; i++) sym[i] = byteIds[bytes[i] & 0xFF];
        int m = mergeAll(sym, bytes.length);
        int[] ids = m == sym.length ? sym : java.util.Arrays.copyOf(sym, m);
        if (cache.size() < cacheLimit) cache.putIfAbsent(piece, ids);
        return ids;
    }

    /** Applies the merges to {@code sym[0, m)} in rank order; returns the new length. */
    private int mergeAll(int[] sym, int m) {
        while (m > 1) {
            int best = Integer.MAX_VALUE, at = -1;
            for (int i = 0; i + 1 < m; i++) {
                int r = table.rank(sym[i], sym[i + 1]);
                if (r < best) {
                    best = r;
                    at = i;
                }
            }
            if (at < 0) break;
            int left = sym[at], right = sym[at + 1], merged = table.result(left, right);
            int w = at;
            for (int i = at; i < m; ) {
                if (i + 1 < m && sym[i] == left && sym[i + 1] == right) {
                    sym[w++] = merged;
                    i += 2;
                } else {
                    sym[w++] = sym[i++];
                }
            }
            m = w;
        }
        return m;
    }

    /**
     * The text of {@code ids}: the tokens' bytes, concatenated, read as UTF-8 with each maximal ill-formed subpart
     * (a sequence cut inside a character, an encoded surrogate, a stray byte) as one U+FFFD ({@link LossyUtf8}, as
     * Hugging Face's ByteLevel decoder reads them); a special id becomes its text.
     */
    public String decode(int[] ids) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(ids.length * 4);
        for (int id : ids) {
            if (id < 0 || id >= tokenBytes.length)
                throw new IllegalArgumentException("token id " + id + " is outside the vocabulary (0.." + (tokenBytes.length - 1) + ")");
            bytes.writeBytes(tokenBytes[id]);
        }
        return LossyUtf8.decode(bytes.toByteArray());
    }

    /** A growable int array. */
    private static final class IntList {
        private int[] a;
        private int n;

        IntList(int capacity) {
            a = new int[Math.max(4, capacity)];
        }

        void addAll(int[] xs) {
            if (n + xs.length > a.length) a = java.util.Arrays.copyOf(a, Math.max(a.length * 2, n + xs.length));
            System.arraycopy(xs, 0, a, n, xs.length);
            n += xs.length;
        }

        int[] toArray() {
            return java.util.Arrays.copyOf(a, n);
        }
    }
}
