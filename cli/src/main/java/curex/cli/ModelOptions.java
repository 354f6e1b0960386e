// The model's shape: hidden widths and activation of the MLP that `train` or `distill` builds for a task.
package curex.cli;

import curex.engine.autograd.Activation;
import curex.engine.data.Task;
import curex.engine.model.ModelConfig;
import curex.engine.nn.MlpConfig;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.util.Iterator;
import java.util.List;

/** {@code --hidden} and {@code --activation}; their defaults are the command's. */
public final class ModelOptions {

    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    @Option(names = "--hidden", paramLabel = "W[,W...]", converter = Converters.Widths.class,
            description = "Hidden layer widths, comma-separated (default: ${DEFAULT-VALUE}).")
    Converters.WidthList hidden;

    @Option(names = "--activation", completionCandidates = HiddenActivations.class,
            description = "Hidden activation: ${COMPLETION-CANDIDATES}; gelu is the tanh approximation "
                    + "(default: ${DEFAULT-VALUE}).")
    Activation activation;

    /** The activations a hidden layer may use. */
    static final class HiddenActivations implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return List.of(Activation.RELU.id(), Activation.GELU.id()).iterator();
        }
    }

    /** The MLP that reads {@code task}'s features and predicts its classes. */
    ModelConfig config(Task task) {
        try {
            return MlpConfig.forTask(task, activation, hidden.values().clone());
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--activation/--hidden: " + e.getMessage());
        }
    }
}
