// Checks curex's tokenizer against Hugging Face tokenizers' ids and decodes, recorded in test-data/text/hf-golden.json.
package curex.engine.text;

import com.fasterxml.jackson.databind.JsonNode;
import curex.engine.io.Json;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * bench/scripts/hf_tokenizer_golden.py loaded a tokenizer.json that {@code curex tokenizer train} wrote with
 * {@code Tokenizer.from_file}, encoded awkward texts (spaces, tabs, newlines, combining marks, emoji, CJK, control
 * characters) and decoded the ids, and decoded id sequences that are not whole UTF-8. curex must read the same file
 * and give the same ids and the same text.
 */
class HfTokenizerGoldenTest {
    private static final Path DIR = Path.of("..", "test-data", "text");

    private static JsonNode golden() throws IOException {
        return Json.mapper().readTree(DIR.resolve("hf-golden.json").toFile());
    }

    private static BpeTokenizer tokenizer(JsonNode golden) {
        return TokenizerJson.load(DIR.resolve(golden.get("tokenizer").asText()));
    }

    private static int[] ids(JsonNode array) {
        int[] out = new int[array.size()];
        for (int i = 0; i < out.length; i++) out[i] = array.get(i).asInt();
        return out;
    }

    /** "U+0061 U+FFFD": a string whose replacement characters and controls can be told apart in a message. */
    private static String codePoints(String s) {
        return s.codePoints().mapToObj(cp -> String.format("U+%04X", cp)).collect(Collectors.joining(" "));
    }

    @Test
    void theGoldenTokenizerIsAsCurexWritesIt() throws IOException {
        JsonNode g = golden();
        BpeTokenizer t = tokenizer(g);
        assertEquals(g.get("vocabulary").asInt(), t.vocabularySize());
        assertEquals(TokenizerJson.text(t), Files.readString(DIR.resolve(g.get("tokenizer").asText())));
    }

    @Test
    void encodesEveryTextAsHuggingFaceDoes() throws IOException {
        JsonNode g = golden();
        BpeTokenizer t = tokenizer(g);
        JsonNode cases = g.get("cases");
        assertTrue(cases.size() >= 20, "the golden file lists " + cases.size() + " texts");
        List<String> differ = new ArrayList<>();
        for (JsonNode c : cases) {
            String name = c.get("name").asText(), text = c.get("text").asText();
            int[] expected = ids(c.get("ids")), got = t.encode(text);
            if (!Arrays.equals(expected, got))
                differ.add(name + ": expected " + Arrays.toString(expected) + ", got " + Arrays.toString(got));
            else if (!c.get("decode").asText().equals(t.decode(expected)) || !text.equals(t.decode(expected)))
                differ.add(name + ": decodes as " + codePoints(t.decode(expected)));
        }
        assertEquals(List.of(), differ);
    }

    @Test
    void decodesCutCharactersAsHuggingFaceDoes() throws IOException {
        JsonNode g = golden();
        BpeTokenizer t = tokenizer(g);
        JsonNode cuts = g.get("cut_decodes");
        assertTrue(cuts.size() >= 5, "the golden file lists " + cuts.size() + " cut decodes");
        List<String> differ = new ArrayList<>();
        for (JsonNode c : cuts) {
            String expected = c.get("decode").asText(), got = t.decode(ids(c.get("ids")));
            assertTrue(expected.contains("\uFFFD"), c.get("name").asText());
            if (!expected.equals(got)) differ.add(c.get("name").asText() + ": expected " + codePoints(expected) + ", got "
                    + codePoints(got));
        }
        assertEquals(List.of(), differ);
    }
}
