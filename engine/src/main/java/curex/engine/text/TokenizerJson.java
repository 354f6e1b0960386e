// Saves and loads a byte-level BPE tokenizer in Hugging Face's tokenizer.json format.
package curex.engine.text;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import curex.engine.io.AtomicFiles;
import curex.engine.io.Json;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The file Hugging Face's {@code tokenizers} reads with {@code Tokenizer.from_file}: {@code model} of type
 * {@code BPE} with {@code vocab} (token -> id, specials included) and {@code merges} ("left right" strings), the
 * special tokens in {@code added_tokens}, and {@code ByteLevel} as pre-tokenizer (no prefix space, GPT-2's regex) and
 * decoder; no normalizer and no post-processor. Loading also accepts merges written as two-element arrays (newer
 * versions of {@code tokenizers}) and any byte-level BPE file, such as GPT-2's, with its own ids.
 */
public final class TokenizerJson {
    private TokenizerJson() {
    }

    /** The tokenizer as a tokenizer.json tree. */
    public static Map<String, Object> toMap(BpeTokenizer t) {
        List<Map<String, Object>> added = new ArrayList<>();
        t.specials().forEach((text, id) -> {
            Map<String, Object> a = new LinkedHashMap<>();
            a.put("id", id);
            a.put("content", text);
            a.put("single_word", false);
            a.put("lstrip", false);
            a.put("rstrip", false);
            a.put("normalized", false);
            a.put("special", true);
            added.add(a);
        });
        Map<String, Object> byteLevel = new LinkedHashMap<>();
        byteLevel.put("type", "ByteLevel");
        byteLevel.put("add_prefix_space", false);
        byteLevel.put("trim_offsets", true);
        byteLevel.put("use_regex", true);
        Map<String, Object> vocab = new LinkedHashMap<>();
        for (int id = 0; id < t.vocabularySize(); id++) vocab.put(t.token(id), id);
        List<String> merges = t.merges().stream().map(m -> m[0] + " " + m[1]).toList();
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("type", "BPE");
        model.put("dropout", null);
        model.put("unk_token", t.specials().containsKey(SpecialTokens.UNK) ? SpecialTokens.UNK : null);
        model.put("continuing_subword_prefix", null);
        model.put("end_of_word_suffix", null);
        model.put("fuse_unk", false);
        model.put("byte_fallback", false);
        model.put("vocab", vocab);
        model.put("merges", merges);
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("version", "1.0");
        root.put("truncation", null);
        root.put("padding", null);
        root.put("added_tokens", added);
        root.put("normalizer", null);
        root.put("pre_tokenizer", byteLevel);
        root.put("post_processor", null);
        root.put("decoder", byteLevel);
        root.put("model", model);
        return root;
    }

    /** Writes {@code t} to {@code file} atomically. */
    public static void save(BpeTokenizer t, Path file) throws IOException {
        Json.writeAtomic(file, toMap(t));
    }

    /** Reads a tokenizer file; a {@link TokenizerFileException} names what is wrong with it. */
    public static BpeTokenizer load(Path file) {
        JsonNode root;
        try {
            root = Json.mapper().readTree(Files.readString(file, StandardCharsets.UTF_8));
        } catch (NoSuchFileException e) {
            throw new TokenizerFileException(file, "no such file", e);
        } catch (JacksonException e) {
            throw new TokenizerFileException(file, "not valid JSON (truncated or damaged?): " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new TokenizerFileException(file, "cannot read it: " + e.getMessage(), e);
        }
        try {
            return fromTree(root);
        } catch (IllegalArgumentException e) {
            throw new TokenizerFileException(file, e.getMessage(), e);
        }
    }

    /** A tokenizer from a parsed tokenizer.json; an IllegalArgumentException names the first problem. */
    public static BpeTokenizer fromTree(JsonNode root) {
        if (root == null || !root.isObject()) throw new IllegalArgumentException("not a JSON object");
        JsonNode model = root.get("model");
        if (model == null || model.isNull()) throw new IllegalArgumentException("no 'model'");
        String type = model.path("type").asText("");
        if (!type.equals("BPE")) throw new IllegalArgumentException("model type is '" + type + "', expected 'BPE'");
        checkByteLevel(root, "pre_tokenizer");
        checkByteLevel(root, "decoder");
        if (!model.path("continuing_subword_prefix").asText("").isEmpty()
                || !model.path("end_of_word_suffix").asText("").isEmpty())
            throw new IllegalArgumentException("subword prefixes and word suffixes are not supported");
        if (root.hasNonNull("normalizer"))
            throw new IllegalArgumentException("normalizers are not supported (found " + root.get("normalizer").path("type") + ")");
        JsonNode vocab = model.get("vocab");
        if (vocab == null || !vocab.isObject()) throw new IllegalArgumentException("model has no 'vocab' object");
        Map<String, Integer> byToken = new LinkedHashMap<>();
        Map<Integer, String> byId = new HashMap<>();
        for (Map.Entry<String, JsonNode> e : vocab.properties()) {
            JsonNode v = e.getValue();
            if (!v.canConvertToInt() || !v.isIntegralNumber() || v.intValue() < 0)
                throw new IllegalArgumentException("vocab entry '" + e.getKey() + "' has id " + v + ", expected an integer >= 0");
            String before = byId.putIfAbsent(v.intValue(), e.getKey());
            if (before != null)
                throw new IllegalArgumentException("id " + v.intValue() + " is given to both '" + before + "' and '" + e.getKey() + "'");
            byToken.put(e.getKey(), v.intValue());
        }
        Map<String, Integer> specials = new LinkedHashMap<>();
        JsonNode added = root.path("added_tokens");
        if (!added.isMissingNode() && !added.isNull() && !added.isArray())
            throw new IllegalArgumentException("'added_tokens' is not an array");
        for (JsonNode a : added) {
            JsonNode id = a.get("id"), content = a.get("content");
            if (id == null || !id.isIntegralNumber() || content == null || !content.isTextual())
                throw new IllegalArgumentException("an added token lacks an integer 'id' or a string 'content': " + a);
            String before = byId.putIfAbsent(id.intValue(), content.textValue());
            if (before != null && !before.equals(content.textValue()))
                throw new IllegalArgumentException("added token '" + content.textValue() + "' has id " + id.intValue()
                        + ", which the vocab gives to '" + before + "'");
            specials.put(content.textValue(), id.intValue());
        }
        int n = byId.size();
        List<String> tokens = new ArrayList<>(n);
        for (int id = 0; id < n; id++) {
            String t = byId.get(id);
            if (t == null) throw new IllegalArgumentException("ids are not contiguous: no token has id " + id
                    + " of 0.." + (n - 1));
            tokens.add(t);
        }
        return new BpeTokenizer(tokens, specials, merges(model.get("merges")));
    }

    private static List<String[]> merges(JsonNode merges) {
        if (merges == null || !merges.isArray()) throw new IllegalArgumentException("model has no 'merges' array");
        List<String[]> out = new ArrayList<>(merges.size());
        for (int i = 0; i < merges.size(); i++) {
            JsonNode m = merges.get(i);
            String[] pair = null;
            if (m.isTextual()) {
                String[] parts = m.textValue().split(" ", -1);
                if (parts.length == 2) pair = parts;
            } else if (m.isArray() && m.size() == 2 && m.get(0).isTextual() && m.get(1).isTextual()) {
                pair = new String[]{m.get(0).textValue(), m.get(1).textValue()};
            }
            if (pair == null) throw new IllegalArgumentException("merge " + (i + 1) + " is " + m
                    + ", expected \"left right\" or [\"left\", \"right\"]");
            out.add(pair);
        }
        return out;
    }

    private static void checkByteLevel(JsonNode root, String field) {
        JsonNode node = root.get(field);
        String type = node == null || node.isNull() ? "none" : node.path("type").asText("");
        if (!type.equals("ByteLevel"))
            throw new IllegalArgumentException(field + " is " + type + ", expected ByteLevel (only byte-level BPE is supported)");
        if (field.equals("pre_tokenizer") && (node.path("add_prefix_space").asBoolean(false)
                || !node.path("use_regex").asBoolean(true)))
            throw new IllegalArgumentException("pre_tokenizer ByteLevel with add_prefix_space true or use_regex false "
                    + "is not supported");
    }

    /** The file's text, exactly as {@link #save} writes it (for comparing two trainings). */
    static String text(BpeTokenizer t) {
        return Json.pretty(toMap(t));
    }
}
