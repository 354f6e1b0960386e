// The file a --model option names: a checkpoint itself, or the model.safetensors of a finished run folder.
package curex.cli;

import curex.engine.checkpoint.TrainingCheckpoint;
import curex.engine.io.RunLayout;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

import java.nio.file.Files;
import java.nio.file.Path;

/** Resolves `--model FILE|DIR` for the commands that read a saved model (eval, export). */
final class SavedModelPath {
    private SavedModelPath() {
    }

    /** The checkpoint file {@code model} names; a usage error for a folder without a model or a missing file. */
    static Path resolve(CommandSpec spec, Path model) {
        if (Files.isDirectory(model)) {
            Path inside = new RunLayout(model).model();
            if (!Files.isRegularFile(inside))
                throw new ParameterException(spec.commandLine(), "--model: the folder '" + model
                        + "' has no model.safetensors (the run has not finished?)");
            return inside;
        }
        if (!Files.isRegularFile(model))
            throw new ParameterException(spec.commandLine(), "--model: no such file '" + model + "'");
        java.util.Optional<Path> checkpoint = TrainingCheckpoint.modelOfState(model);
        if (checkpoint.isPresent())   // the optimizer state beside a checkpoint, not the model
            throw new ParameterException(spec.commandLine(), "--model: '" + model + "' is the resume state of a "
                    + "checkpoint (its optimizer's moments), not a model; give the checkpoint itself, '"
                    + checkpoint.get() + "'");
        return model;
    }
}
