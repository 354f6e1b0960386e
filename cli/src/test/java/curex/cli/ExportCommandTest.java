// `curex export`: a Hugging Face folder from a post-LN masked-LM model, and clear refusals for everything else.
package curex.cli;

import curex.engine.io.Json;
import curex.engine.io.NamedArray;
import curex.engine.io.RunLayout;
import curex.engine.io.Safetensors;
import curex.engine.io.SafetensorsFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ExportCommandTest {
    @TempDir
    Path dir;

    private Path trained(String name, String norm, String task) {
        Path run = dir.resolve(name);
        DistillCommandTest.Result r = DistillCommandTest.run("train", "--task", task, "--norm", norm, "--layers", "1",
                "--d-model", "8", "--heads", "2", "--batch", "8", "--steps", "3", "--eval-size", "16", "--threads", "1",
                "--out", run.toString());
        assertEquals(Main.OK, r.code(), r.err() + r.out());
        return run;
    }

    private static void usage(DistillCommandTest.Result r, String... fragments) {
        assertEquals(Main.USAGE, r.code(), r.err() + r.out());
        for (String f : fragments) assertTrue(r.err().contains(f), "'" + f + "' in " + r.err());
    }

    @Test
    void aPostLnMaskedLmModelBecomesAFolderThatBertForMaskedLmReads() throws Exception {
        Path run = trained("post", "post", "pcfg"), out = dir.resolve("hf");
        // a checkpoint written before the decoder bias got its second name: the export adds it
        SafetensorsFile original = Safetensors.read(new RunLayout(run).model());
        List<NamedArray> older = new ArrayList<>(original.tensors().values());
        older.removeIf(a -> a.name().equals("cls.predictions.decoder.bias"));
        Path old = dir.resolve("old.safetensors");
        Safetensors.write(old, original.metadata(), older);

        DistillCommandTest.Result r = DistillCommandTest.run("export", "--model", old.toString(), "--out",
                out.toString(), "--threads", "1");
        assertEquals(Main.OK, r.code(), r.err() + r.out());
        assertTrue(r.out().contains("BertForMaskedLM.from_pretrained"), r.out());
        Map<String, Object> config = Json.readMap(out.resolve("config.json"));
        assertEquals(List.of("BertForMaskedLM"), config.get("architectures"));
        assertEquals("bert", config.get("model_type"));
        Map<String, String> meta = original.metadata();
        for (String key : List.of("vocab_size", "hidden_size", "num_hidden_layers", "num_attention_heads",
                "intermediate_size", "max_position_embeddings", "type_vocab_size", "pad_token_id"))
            assertEquals(Integer.parseInt(meta.get(key)), config.get(key), key + " as a JSON integer");
        assertEquals(1e-5, (Double) config.get("layer_norm_eps"), 0.0, "the float's decimal, not 9.99...e-6");
        assertEquals("gelu_pytorch_tanh", config.get("hidden_act"));
        assertEquals(Boolean.FALSE, config.get("tie_word_embeddings"));

        SafetensorsFile weights = Safetensors.read(out.resolve("model.safetensors"));
        for (NamedArray a : original.tensors().values())
            assertArrayEquals(a.data(), weights.tensor(a.name()).data(), a.name());
        assertArrayEquals(original.tensor("cls.predictions.bias").data(),
                weights.tensor("cls.predictions.decoder.bias").data());
        assertEquals("pcfg", weights.metadata().get("task"), "the checkpoint's metadata is kept");

        usage(DistillCommandTest.run("export", "--model", run.toString(), "--out", out.toString()),
                "already holds config.json", "--force");
        assertEquals(Main.OK, DistillCommandTest.run("export", "--model", run.toString(), "--out", out.toString(),
                "--force", "--threads", "1").code());
    }

    @Test
    void modelsThatNoHuggingFaceClassComputesAndRunFoldersAreRefusedBeforeAnythingIsWritten() throws Exception {
        Path out = dir.resolve("hf");
        usage(DistillCommandTest.run("export", "--model", trained("pre", "pre", "pcfg").toString(), "--out",
                out.toString()), "pre-LN", "--norm post");
        usage(DistillCommandTest.run("export", "--model", trained("cls", "post", "parity-tf").toString(), "--out",
                out.toString()), "classifier reads the last token");
        assertFalse(Files.exists(out), "nothing written");
        Path post = trained("post", "post", "pcfg");
        usage(DistillCommandTest.run("export", "--model", post.toString(), "--out", post.toString()),
                "is a curex run folder");
        assertTrue(Files.exists(new RunLayout(post).config()), "the run's own config.json is untouched");
        usage(DistillCommandTest.run("export", "--model", dir.resolve("missing.safetensors").toString(), "--out",
                out.toString()), "no such file");
        Path file = Files.writeString(dir.resolve("a-file"), "x");
        usage(DistillCommandTest.run("export", "--model", post.toString(), "--out", file.resolve("sub").toString()),
                "--out: ", "is not a folder");
    }
}
