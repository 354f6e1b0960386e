// Tests of tokenizer.json: the Hugging Face layout, save -> load -> same encodings, and named loading errors.
package curex.engine.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import curex.engine.io.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class TokenizerJsonTest {
    @TempDir
    Path dir;

    private static BpeTokenizer trained() {
        WordCounts counts = new WordCounts(1 << 20);
        new Corpus(BpeTokenizerTest.STORIES).read(d -> {
            counts.add(d.text());
            return true;
        });
        return BpeTrainer.train(counts, 400);
    }

    @Test
    void saveLoadGivesTheSameTokenizer() throws IOException {
        BpeTokenizer t = trained();
        Path file = dir.resolve("tokenizer.json");
        TokenizerJson.save(t, file);
        BpeTokenizer back = TokenizerJson.load(file);
        assertEquals(t.tokens(), back.tokens());
        assertEquals(t.specials(), back.specials());
        assertEquals(TokenizerJson.text(t), TokenizerJson.text(back));
        assertEquals(TokenizerJson.text(t), Files.readString(file));
        for (String s : List.of("The quiet crow said: \"Let's try once more.\"", "東京 👍🏽 e\u0301", "  \n\t x"))
            assertArrayEquals(t.encode(s), back.encode(s), s);
    }

    @Test
    void theFileHasHuggingFacesLayout() throws IOException {
        Path file = dir.resolve("tokenizer.json");
        TokenizerJson.save(trained(), file);
        JsonNode root = Json.mapper().readTree(file.toFile());
        assertEquals("BPE", root.at("/model/type").asText());
        assertEquals("ByteLevel", root.at("/pre_tokenizer/type").asText());
        assertFalse(root.at("/pre_tokenizer/add_prefix_space").asBoolean());
        assertEquals("ByteLevel", root.at("/decoder/type").asText());
        assertEquals("[UNK]", root.at("/model/unk_token").asText());
        JsonNode added = root.get("added_tokens");
        assertEquals(5, added.size());
        for (int i = 0; i < 5; i++) {
            assertEquals(i, added.get(i).get("id").asInt());
            assertEquals(SpecialTokens.BERT.get(i), added.get(i).get("content").asText());
            assertTrue(added.get(i).get("special").asBoolean());
        }
        JsonNode vocab = root.at("/model/vocab");
        assertEquals(400, vocab.size());
        assertEquals(0, vocab.get("[PAD]").asInt());
        assertEquals(SpecialTokens.FIRST_BYTE_ID + ' ', vocab.get("Ġ").asInt());
        assertEquals("Ġ t", root.at("/model/merges/0").asText());
    }

    private Path edited(java.util.function.Consumer<ObjectNode> edit) throws IOException {
        Path file = dir.resolve("t.json");
        TokenizerJson.save(trained(), file);
        ObjectNode root = (ObjectNode) Json.mapper().readTree(file.toFile());
        edit.accept(root);
        Path out = dir.resolve("edited.json");
        Files.writeString(out, Json.pretty(root));
        return out;
    }

    private static void assertRefused(Path file, String... fragments) {
        TokenizerFileException e = assertThrows(TokenizerFileException.class, () -> TokenizerJson.load(file));
        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
        for (String f : fragments) assertTrue(e.getMessage().contains(f), "'" + f + "' in: " + e.getMessage());
    }

    @Test
    void loadingNamesWhatIsWrong() throws IOException {
        assertRefused(dir.resolve("none.json"), "no such file");
        Path good = dir.resolve("good.json");
        TokenizerJson.save(trained(), good);
        String text = Files.readString(good);
        Path cut = dir.resolve("cut.json");
        Files.writeString(cut, text.substring(0, text.length() / 2));
        assertRefused(cut, "not valid JSON", "truncated");
        assertRefused(edited(r -> r.remove("model")), "no 'model'");
        assertRefused(edited(r -> ((ObjectNode) r.get("model")).put("type", "WordPiece")), "model type is 'WordPiece'");
        assertRefused(edited(r -> ((ArrayNode) r.at("/model/merges")).insert(0, "Ġt zzz")),
                "merge 1 'Ġt zzz' refers to unknown token 'zzz'");
        assertRefused(edited(r -> ((ArrayNode) r.at("/model/merges")).insert(0, "x")), "merge 1 is \"x\"");
        assertRefused(edited(r -> ((ObjectNode) r.at("/model/vocab")).remove("A")), "no token has id");
        assertRefused(edited(r -> r.putNull("pre_tokenizer")), "pre_tokenizer is none");
        assertRefused(edited(r -> ((ObjectNode) r.at("/model/vocab")).put("Ġt", 0)), "id 0");
    }

    @Test
    void gpt2StyleFilesWithTheirOwnIdsLoad() throws IOException {
        // GPT-2's layout: bytes first in alphabet order of their characters, no BERT specials, one added token at the
        // end, empty strings for the subword prefix and suffix
        List<String> tokens = new java.util.ArrayList<>();
        for (int b = 0; b < 256; b++) tokens.add(String.valueOf(ByteAlphabet.charOf(b)));
        tokens.sort(null);
        ObjectNode vocab = Json.mapper().createObjectNode();
        for (int i = 0; i < tokens.size(); i++) vocab.put(tokens.get(i), i);
        vocab.put("Ġt", 256);
        vocab.put("he", 257);
        vocab.put("Ġthe", 258);
        vocab.put("<|endoftext|>", 259);
        ObjectNode root = Json.mapper().createObjectNode();
        root.putArray("added_tokens").addObject().put("id", 259).put("content", "<|endoftext|>").put("special", true);
        root.putNull("normalizer");
        root.putObject("pre_tokenizer").put("type", "ByteLevel").put("add_prefix_space", false);
        root.putObject("decoder").put("type", "ByteLevel");
        ObjectNode model = root.putObject("model");
        model.put("type", "BPE").put("continuing_subword_prefix", "").put("end_of_word_suffix", "");
        model.set("vocab", vocab);
        model.putArray("merges").add("Ġ t").add("h e").add("Ġt he");
        Path file = dir.resolve("gpt2.json");
        Files.writeString(file, Json.pretty(root));
        BpeTokenizer t = TokenizerJson.load(file);
        int[] ids = t.encode("in the");
        assertEquals(List.of("in", "Ġthe"), List.of(t.token(ids[0]) + t.token(ids[1]), t.token(ids[2])));
        assertEquals(258, ids[2]);
        assertEquals(259, t.specialId("<|endoftext|>"));
        assertEquals("in the<|endoftext|>", t.decode(new int[]{ids[0], ids[1], ids[2], 259}));
    }

    @Test
    void mergesWrittenAsPairsAreAccepted() throws IOException {
        BpeTokenizer t = trained();
        Path file = edited(r -> {
            ArrayNode pairs = Json.mapper().createArrayNode();
            for (JsonNode m : r.at("/model/merges")) {
                String[] p = m.asText().split(" ");
                pairs.addArray().add(p[0]).add(p[1]);
            }
            ((ObjectNode) r.get("model")).set("merges", pairs);
        });
        String s = "Mara the brave otter wanted to mend a golden kettle.";
        assertArrayEquals(t.encode(s), TokenizerJson.load(file).encode(s));
    }
}
