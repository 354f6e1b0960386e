// The identity of a text preparation: the corpus files (path, size, modification time), the split and the tokenizer.
package curex.engine.text;

import curex.engine.io.Sha256;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/**
 * A text listing, one per line, the corpus files sorted by absolute path with their size and modification time, the
 * held-out fraction, and the tokenizer: the SHA-256 of the tokenizer file given, or the vocabulary size (and sampling
 * limits) of the tokenizer trained. {@link #hex()} is the SHA-256 of that text: the same corpus, split and tokenizer
 * give the same key; touching, growing or replacing a file, or changing the tokenizer, gives another.
 */
public record TextCacheKey(String text, String hex) {
    private static final String VERSION = "curex text preparation v1";

    /** The key of preparing {@code files} with {@code o}. */
    public static TextCacheKey of(List<Path> files, TextPreparation.Options o) {
        StringBuilder sb = new StringBuilder(VERSION).append('\n');
        List<Path> sorted = files.stream().map(p -> p.toAbsolutePath().normalize())
                .sorted((a, b) -> a.toString().compareTo(b.toString())).toList();
        for (Path f : sorted) {
            try {
                sb.append("file\t").append(f).append('\t').append(Files.size(f)).append('\t')
                        .append(Files.getLastModifiedTime(f).toInstant()).append('\n');
            } catch (IOException e) {
                throw new CorpusException("corpus file '" + f + "': " + e.getMessage(), e);
            }
        }
        sb.append(String.format(Locale.ROOT, "heldout-fraction\t%s%n", o.heldOutFraction()));
        if (o.tokenizer() != null) sb.append("tokenizer-sha256\t").append(sha256(o.tokenizer())).append('\n');
        else sb.append(String.format(Locale.ROOT, "tokenizer-trained\tvocab-size %d, sample-bytes %d, max-words %d%n",
                o.vocabSize(), TokenizerTraining.DEFAULT_SAMPLE_BYTES, TokenizerTraining.DEFAULT_MAX_WORDS));
        String text = sb.toString();
        return new TextCacheKey(text, HexFormat.of().formatHex(digest().digest(text.getBytes(StandardCharsets.UTF_8))));
    }

    /** The first 16 hex digits, for a folder name. */
    public String shortHex() {
        return hex.substring(0, 16);
    }

    /** The SHA-256 of a file, in hex; a {@link TokenizerFileException} if it cannot be read. */
    static String sha256(Path file) {
        try {
            return Sha256.of(file);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new TokenizerFileException(file, "no such file", e);
        } catch (IOException e) {
            throw new TokenizerFileException(file, "cannot read it: " + e.getMessage(), e);
        }
    }

    private static MessageDigest digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
