// The shape of a model of some family: what checkpoints record, what builds a model, what it expects of a task.
package curex.engine.model;

import curex.engine.data.Task;
import curex.kernels.Backend;

import curex.engine.io.NamedArray;

import java.util.List;
import java.util.Map;

/** One record type per model family (an MLP's widths, a transformer's sizes), immutable. */
public interface ModelConfig {

    ModelFamily family();

    /** A new model with its family's initialisation drawn from {@code seed}; the values do not depend on the backend. */
    Model create(Backend backend, long seed);

    /** A new model with every parameter zero, to be loaded from a checkpoint. */
    Model zeros(Backend backend);

    /** The config as {@code __metadata__} entries (the family's format tag included), read back by {@link ModelFamily}. */
    Map<String, String> metadata();

    /** The config as config.json records it. */
    Map<String, Object> toMap();

    /** Fails with a message naming both sides unless the model reads {@code task}'s inputs and predicts its classes. */
    void checkTask(Task task);

    /** Number of hidden representations, layers 1..depth. */
    int depth();

    /** Features per row of hidden representation {@code layer} (1..depth). */
    int width(int layer);

    /** Number of parameters. */
    long parameterCount();

    /** Floats one training row needs for its activations and their gradients (forward and backward). */
    long activationFloatsPerRow();

    /**
     * Tensors a checkpoint holds besides the parameters, with fixed values that the model assumes (a post-LN BERT's
     * all-zero token-type embeddings, so that Hugging Face loads the file as it is). None by default.
     */
    default List<NamedArray> constants() {
        return List.of();
    }

    /**
     * Second names under which a checkpoint also writes a parameter, alias -> parameter: what another library reads
     * there (Hugging Face's masked-LM decoder bias). Loading checks that an alias present in a file equals its
     * parameter. None by default.
     */
    default Map<String, String> aliases() {
        return Map.of();
    }

    /** "MLP 40-50-2 (relu)". */
    String describe();
}
