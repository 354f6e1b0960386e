// `curex export`: a Hugging Face model folder (config.json and model.safetensors) from a saved masked-LM model.
package curex.cli;

import curex.engine.checkpoint.HuggingFaceFolder;
import curex.engine.checkpoint.ModelCheckpoint;
import curex.engine.io.CheckpointException;
import curex.engine.io.RunLayout;
import curex.engine.io.Safetensors;
import curex.kernels.Backend;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;

/** Writes {@code --out}/config.json and model.safetensors so that {@code BertForMaskedLM.from_pretrained} loads them. */
@Command(name = "export", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Write a Hugging Face model folder from a saved post-LN masked-LM transformer: config.json (a "
                + "BertConfig) and model.safetensors, which transformers' BertForMaskedLM.from_pretrained(FOLDER) "
                + "loads as it is."})
public final class ExportCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--model", paramLabel = "FILE|DIR", required = true,
            description = "Model checkpoint (.safetensors), or a run folder (its model.safetensors).")
    Path model;

    @Option(names = "--out", paramLabel = "DIR", required = true,
            description = "Folder to write (created if missing); not a curex run folder, whose config.json is the "
                    + "run's.")
    Path out;

    @Option(names = "--force", description = "Replace a config.json or model.safetensors already in --out.")
    boolean force;

    @Mixin
    BackendOptions backend;

    @Override
    public Integer call() throws Exception {
        model = SavedModelPath.resolve(spec, model);
        if (Files.exists(out) && !Files.isDirectory(out)) throw usage("--out: '" + out + "' is a file, not a folder");
        String denied = Main.unwritable(out);
        if (denied != null) throw usage("--out: " + denied);
        RunLayout run = new RunLayout(out);
        if (Files.exists(run.metrics()) || Files.exists(run.summary()) || Files.isDirectory(run.checkpoints()))
            throw usage("--out: '" + out + "' is a curex run folder, whose config.json is the run's; export to "
                    + "another folder");
        for (Path f : HuggingFaceFolder.files(out))
            if (Files.exists(f) && !force)
                throw usage("--out: '" + out + "' already holds " + f.getFileName() + " (--force replaces it)");
        Map<String, String> meta = Safetensors.readMetadata(model);
        try {   // a model no Hugging Face class computes is a wrong --model: say why before writing anything
            HuggingFaceFolder.bertConfig(ModelCheckpoint.config(model, meta));
        } catch (IllegalArgumentException | CheckpointException e) {
            throw usage("--model: " + model + ": " + e.getMessage().replace(model + ": ", ""));
        }
        backend.check();
        try (Backend be = backend.open()) {
            HuggingFaceFolder.write(model, out, be);
        }
        spec.commandLine().getOut().printf("wrote %s: %s and %s (transformers: BertForMaskedLM.from_pretrained(\"%s\"))%n",
                out, HuggingFaceFolder.CONFIG, HuggingFaceFolder.WEIGHTS, out);
        return 0;
    }

    private ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }
}
