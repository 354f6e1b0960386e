// Maps any model to a safetensors checkpoint (PyTorch names and shapes, config in the metadata) and back.
package curex.engine.checkpoint;

import curex.engine.io.CheckpointException;
import curex.engine.io.NamedArray;
import curex.engine.io.Safetensors;
import curex.engine.io.SafetensorsFile;
import curex.engine.model.Model;
import curex.engine.model.ModelConfig;
import curex.engine.model.ModelFamily;
import curex.engine.nn.Parameters;
import curex.kernels.Backend;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A model checkpoint holds every named parameter tensor of the model and, in {@code __metadata__}, its config as
 * {@link ModelConfig#metadata()} writes it (the family's format tag first), plus whatever the caller adds (task,
 * seed), and the config's {@link ModelConfig#aliases} and {@link ModelConfig#constants} for other libraries. Loading
 * dispatches on the family recorded in the metadata, checks every expected tensor against the config, and refuses
 * non-finite values, naming the file and the tensor when something does not fit.
 */
public final class ModelCheckpoint {

    private ModelCheckpoint() {
    }

    /** The model's tensors as host copies, in layout order. */
    public static List<NamedArray> arrays(Model model) {
        Parameters p = model.parameters();
        List<NamedArray> out = new ArrayList<>();
        for (Parameters.Entry e : p.entries()) out.add(new NamedArray(e.name(), e.shape(), p.toHost(e.name())));
        model.config().aliases().forEach((alias, name) ->
                out.add(new NamedArray(alias, p.entry(name).shape(), p.toHost(name))));
        out.addAll(model.config().constants());
        return out;
    }

    /** The metadata a checkpoint of {@code model} holds: {@code extra}, then the model's config. */
    static Map<String, String> metadata(Model model, Map<String, String> extra) {
        Map<String, String> meta = new LinkedHashMap<>(extra);
        meta.putAll(model.config().metadata());
        return meta;
    }

    /** Writes the model (atomically) with its config and {@code extra} metadata. */
    public static void save(Path file, Model model, Map<String, String> extra) throws IOException {
        Safetensors.write(file, metadata(model, extra), arrays(model));
    }

    /** Reads a model from a file, building it on {@code backend} from the config in the file. */
    public static Model load(Path file, Backend backend) throws IOException {
        SafetensorsFile f = Safetensors.read(file);
        Model model = config(file, f.metadata()).zeros(backend);
        try {
            fill(file, f, model);
        } catch (IOException | RuntimeException e) {
            model.close();
            throw e;
        }
        return model;
    }

    /** Loads a file into an existing model, whose config must equal the file's. */
    public static void loadInto(Path file, Model model) throws IOException {
        fill(file, Safetensors.read(file), model);
    }

    /** The config stored in a file's metadata. */
    public static ModelConfig config(Path file, Map<String, String> meta) throws CheckpointException {
        try {
            return ModelFamily.configOf(meta);
        } catch (IllegalArgumentException e) {
            throw new CheckpointException(file, e.getMessage());
        }
    }

    /**
     * Copies the file's tensors into the model after checking its config, names, shapes and values (no NaN or
     * infinity: such a model would evaluate as if it were fine, since ReLU maps NaN to 0).
     */
    static void fill(Path file, SafetensorsFile f, Model model) throws CheckpointException {
        ModelConfig c = config(file, f.metadata());
        if (!c.equals(model.config()))
            throw new CheckpointException(file, "holds " + c.describe() + " but the model is " + model.config().describe()
                    + differences(c, model.config()));
        Parameters p = model.parameters();
        for (Parameters.Entry e : p.entries()) {
            NamedArray a = f.tensors().get(e.name());
            if (a == null)
                throw new CheckpointException(file, "missing tensor '" + e.name() + "' " + Arrays.toString(e.shape())
                        + " of " + c.describe());
            if (a.isInts())
                throw new CheckpointException(file, "tensor '" + e.name() + "' holds integers (I32), not weights (F32)");
            if (!Arrays.equals(a.shape(), e.shape()))
                throw new CheckpointException(file, "tensor '" + e.name() + "' has shape " + Arrays.toString(a.shape())
                        + " but " + c.describe() + " needs " + Arrays.toString(e.shape()));
            float[] d = a.data();
            for (int i = 0; i < d.length; i++)
                if (!Float.isFinite(d[i]))
                    throw new CheckpointException(file, "tensor '" + e.name() + "' holds " + d[i] + " at element " + i
                            + ": the model diverged or the file is damaged");
        }
        for (NamedArray constant : c.constants()) {
            NamedArray a = f.tensors().get(constant.name());
            if (a != null && differs(a, constant))
                throw new CheckpointException(file, "tensor '" + constant.name() + "' must be all zeros, shape "
                        + Arrays.toString(constant.shape()) + ", for " + c.describe() + ", which does not learn it");
        }
        for (Map.Entry<String, String> alias : c.aliases().entrySet()) {
            NamedArray a = f.tensors().get(alias.getKey()), of = f.tensors().get(alias.getValue());
            if (a != null && differs(a, of))
                throw new CheckpointException(file, "tensor '" + alias.getKey() + "' must equal '" + alias.getValue()
                        + "' (the same parameter under the name Hugging Face reads), but differs");
        }
        for (Parameters.Entry e : p.entries()) p.load(e.name(), f.tensors().get(e.name()).data());
    }

    /** Whether a file's tensor is not {@code expected}: integers, another shape or other values. */
    private static boolean differs(NamedArray a, NamedArray expected) {
        return a.isInts() || !Arrays.equals(a.shape(), expected.shape()) || !Arrays.equals(a.data(), expected.data());
    }

    /**
     * " (maxLength 74 here, 80 there)" for the components in which two configs of the same record type differ, where
     * their descriptions may not show it (a grammar's longest string, say); empty otherwise.
     */
    static String differences(ModelConfig file, ModelConfig model) {
        if (!file.getClass().isRecord() || file.getClass() != model.getClass()) return "";
        List<String> out = new ArrayList<>();
        for (java.lang.reflect.RecordComponent rc : file.getClass().getRecordComponents()) {
            try {
                Object a = rc.getAccessor().invoke(file), b = rc.getAccessor().invoke(model);
                if (!java.util.Objects.deepEquals(a, b)) out.add(rc.getName() + " " + str(a) + " in the file, " + str(b));
            } catch (ReflectiveOperationException e) {
                return "";
            }
        }
        return out.isEmpty() ? "" : " (" + String.join("; ", out) + ")";
    }

    private static String str(Object o) {
        return o instanceof int[] a ? Arrays.toString(a) : String.valueOf(o);
    }
}
