// The model's shape: an MLP's hidden widths and activation, or a transformer's layers, width, heads and norms.
package curex.cli;

import curex.engine.autograd.Activation;
import curex.engine.data.Task;
import curex.engine.model.ModelConfig;
import curex.engine.nn.MlpConfig;
import curex.engine.nn.TransformerConfig;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.Spec;

import java.util.Iterator;
import java.util.List;

/**
 * {@code --hidden} and {@code --activation} shape the MLP of a feature task; {@code --layers}, {@code --d-model},
 * {@code --heads}, {@code --mlp-ratio}, {@code --norm} and {@code --init} the transformer of a token task. Their defaults are the
 * command's; giving an option of the other family is an error.
 */
public final class ModelOptions {
    private static final List<String> MLP_OPTIONS = List.of("--hidden", "--activation");
    private static final List<String> TRANSFORMER_OPTIONS = List.of("--layers", "--d-model", "--heads", "--mlp-ratio",
            "--norm", "--init");

    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    @Option(names = "--hidden", paramLabel = "W[,W...]", converter = Converters.Widths.class,
            description = "MLP: hidden layer widths, comma-separated (default: ${DEFAULT-VALUE}).")
    Converters.WidthList hidden;

    @Option(names = "--activation", completionCandidates = HiddenActivations.class,
            description = "MLP: hidden activation: ${COMPLETION-CANDIDATES}; gelu is the tanh approximation "
                    + "(default: ${DEFAULT-VALUE}).")
    Activation activation;

    @Option(names = "--layers", converter = Converters.PositiveInt.class,
            description = "Transformer: encoder blocks (default: ${DEFAULT-VALUE}).")
    Integer layers;

    @Option(names = "--d-model", paramLabel = "D", converter = Converters.PositiveInt.class,
            description = "Transformer: width of the residual stream (default: ${DEFAULT-VALUE}).")
    Integer dModel;

    @Option(names = "--heads", converter = Converters.PositiveInt.class,
            description = "Transformer: attention heads, dividing --d-model (default: ${DEFAULT-VALUE}).")
    Integer heads;

    @Option(names = "--mlp-ratio", paramLabel = "R", converter = Converters.PositiveInt.class,
            description = "Transformer: MLP hidden width as a multiple of --d-model (default: ${DEFAULT-VALUE}).")
    Integer mlpRatio;

    @Option(names = "--norm",
            description = "Transformer: LayerNorm ${COMPLETION-CANDIDATES}: before each sub-block with a final norm, or "
                    + "after each residual as in the original BERT (default: ${DEFAULT-VALUE}).")
    TransformerConfig.Norm norm;

    @Option(names = "--init",
            description = "Transformer: initial weights ${COMPLETION-CANDIDATES}: PyTorch's module defaults (embeddings "
                    + "N(0, 1), linears uniform +-1/sqrt(fan_in)) or BERT's (everything N(0, 0.02)) (default: "
                    + "${DEFAULT-VALUE}).")
    TransformerConfig.Init init;

    /** The activations a hidden layer may use. */
    static final class HiddenActivations implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return List.of(Activation.RELU.id(), Activation.GELU.id()).iterator();
        }
    }

    /** The model that reads {@code task}'s inputs and predicts its labels: an MLP for features, else a transformer. */
    ModelConfig config(Task task) {
        boolean tokens = task.input() == Task.Input.TOKENS;
        refuseGiven(tokens ? MLP_OPTIONS : TRANSFORMER_OPTIONS, task, tokens ? "a transformer" : "an MLP");
        try {
            return tokens ? TransformerConfig.forTask(task, layers, dModel, heads, mlpRatio, norm).withInit(init)
                    : MlpConfig.forTask(task, activation, hidden.values().clone());
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), SettingOptions.prefixed(e,
                    tokens ? "--layers/--d-model/--heads/--mlp-ratio" : "--activation/--hidden"));
        }
    }

    private void refuseGiven(List<String> options, Task task, String model) {
        ParseResult given = spec.commandLine().getParseResult();
        if (given == null) return;
        for (String o : options)
            if (given.hasMatchedOption(o))
                throw new ParameterException(spec.commandLine(), o + ": " + task.describe() + " trains " + model
                        + ", which has no " + o + " option");
    }
}
