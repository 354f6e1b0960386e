// A Hugging Face model folder from a curex checkpoint: a BertConfig config.json beside the weights.
package curex.engine.checkpoint;

import curex.engine.io.CheckpointException;
import curex.engine.io.Json;
import curex.engine.io.Safetensors;
import curex.engine.model.Model;
import curex.engine.model.ModelConfig;
import curex.engine.nn.TransformerConfig;
import curex.kernels.Backend;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@code BertForMaskedLM.from_pretrained(folder)} reads: {@value #CONFIG}, the {@code BertConfig} of a post-LN
 * masked-LM transformer with its values typed as JSON, and {@value #WEIGHTS}, the checkpoint written again by
 * {@link ModelCheckpoint} (so that a file from before a name was added, such as the decoder bias's second name, gets
 * it). Other models have no Hugging Face class that computes what curex computes: a pre-LN encoder (BERT normalises
 * after each sub-block) and the classifier, which reads the last token (BertForSequenceClassification reads the first,
 * through a pooler).
 */
public final class HuggingFaceFolder {
    public static final String CONFIG = "config.json", WEIGHTS = "model.safetensors";

    private HuggingFaceFolder() {
    }

    /** The folder's two files. */
    public static List<Path> files(Path folder) {
        return List.of(folder.resolve(CONFIG), folder.resolve(WEIGHTS));
    }

    /**
     * BertConfig's keys for {@code c}, typed; an {@link IllegalArgumentException} saying why when no Hugging Face class
     * computes the model.
     */
    public static Map<String, Object> bertConfig(ModelConfig c) {
        if (!(c instanceof TransformerConfig t))
            throw new IllegalArgumentException("it holds " + c.describe() + "; only a transformer has a Hugging Face "
                    + "class (BertForMaskedLM)");
        if (t.norm() != TransformerConfig.Norm.POST)
            throw new IllegalArgumentException("it holds a pre-LN transformer, and BERT normalises after each "
                    + "sub-block: train with --norm post (the README maps the pre-LN tensors' names)");
        if (t.head() != TransformerConfig.Head.MLM)
            throw new IllegalArgumentException("its classifier reads the last token, and Hugging Face's "
                    + "BertForSequenceClassification the first, through a pooler; only masked-LM models export");
        Map<String, String> meta = t.metadata();   // the BertConfig keys, as the checkpoint records them
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("architectures", List.of("BertForMaskedLM"));
        m.put("model_type", "bert");
        for (String key : List.of("vocab_size", "hidden_size", "num_hidden_layers", "num_attention_heads",
                "intermediate_size", "max_position_embeddings", "type_vocab_size", "pad_token_id"))
            if (meta.containsKey(key)) m.put(key, Integer.parseInt(meta.get(key)));
        m.put("hidden_act", meta.get("hidden_act"));
        for (String key : List.of("layer_norm_eps", "hidden_dropout_prob", "attention_probs_dropout_prob"))
            m.put(key, Double.parseDouble(meta.get(key)));   // the float's shortest decimal: 1e-5, not 9.99...e-6
        m.put("tie_word_embeddings", Boolean.parseBoolean(meta.get("tie_word_embeddings")));
        return m;
    }

    /**
     * Writes {@code folder}'s {@value #CONFIG} and {@value #WEIGHTS} (each atomically; the folder is created) from
     * {@code checkpoint}, which is read and checked in full on {@code backend} first. The weights file keeps the
     * checkpoint's metadata.
     */
    public static void write(Path checkpoint, Path folder, Backend backend) throws IOException {
        Map<String, String> meta = Safetensors.readMetadata(checkpoint);
        Map<String, Object> config;
        try {
            config = bertConfig(ModelCheckpoint.config(checkpoint, meta));
        } catch (IllegalArgumentException e) {
            throw new CheckpointException(checkpoint, e.getMessage());
        }
        try (Model model = ModelCheckpoint.load(checkpoint, backend)) {
            Files.createDirectories(folder);
            ModelCheckpoint.save(folder.resolve(WEIGHTS), model, meta);
            Json.writeAtomic(folder.resolve(CONFIG), config);
        }
    }
}
