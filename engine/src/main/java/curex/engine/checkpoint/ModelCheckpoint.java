// Maps an MLP to a safetensors checkpoint (PyTorch names and shapes, config in the metadata) and back.
package curex.engine.checkpoint;

import curex.engine.autograd.Activation;
import curex.engine.io.CheckpointException;
import curex.engine.io.NamedArray;
import curex.engine.io.Safetensors;
import curex.engine.io.SafetensorsFile;
import curex.engine.nn.Mlp;
import curex.engine.nn.MlpConfig;
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
 * An MLP checkpoint holds {@code layers.l.weight} (out, in) and {@code layers.l.bias} (out) for l = 0..L-1, and
 * in {@code __metadata__}: {@code format = curex.mlp}, {@code widths = "in,h1,...,out"}, {@code activation}.
 * Other tensors (e.g. an optimizer's) may sit in the same file and are ignored here. Loading checks every
 * expected tensor against the config and names the file and the tensor when something does not fit.
 */
public final class MlpCheckpoint {
    public static final String FORMAT = "curex.mlp";
    public static final String KEY_FORMAT = "format";
    public static final String KEY_WIDTHS = "widths";
    public static final String KEY_ACTIVATION = "activation";

    private MlpCheckpoint() {
    }

    /** The metadata entries describing {@code config}. */
    public static Map<String, String> metadata(MlpConfig config) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(KEY_FORMAT, FORMAT);
        m.put(KEY_WIDTHS, config.widthsString());
        m.put(KEY_ACTIVATION, config.activation().id());
        return m;
    }

    /** The model's tensors as host copies, in layout order. */
    public static List<NamedArray> arrays(Mlp mlp) {
        Parameters p = mlp.parameters();
        List<NamedArray> out = new ArrayList<>();
        for (Parameters.Entry e : p.entries()) out.add(new NamedArray(e.name(), e.shape(), p.toHost(e.name())));
        return out;
    }

    /** Writes the model (atomically) with its config and {@code extra} metadata. */
    public static void save(Path file, Mlp mlp, Map<String, String> extra) throws IOException {
        Map<String, String> meta = new LinkedHashMap<>(extra);
        meta.putAll(metadata(mlp.config()));
        Safetensors.write(file, meta, arrays(mlp));
    }

    /** Reads a model from a file, building it on {@code backend} from the config in the file. */
    public static Mlp load(Path file, Backend backend) throws IOException {
        SafetensorsFile f = Safetensors.read(file);
        Mlp mlp = Mlp.zeros(backend, config(file, f.metadata()));
        try {
            fill(file, f, mlp);
        } catch (IOException | RuntimeException e) {
            mlp.close();
            throw e;
        }
        return mlp;
    }

    /** Loads a file into an existing model, whose config must equal the file's. */
    public static void loadInto(Path file, Mlp mlp) throws IOException {
        SafetensorsFile f = Safetensors.read(file);
        MlpConfig c = config(file, f.metadata());
        if (!c.equals(mlp.config()))
            throw new CheckpointException(file, "holds " + c + " but the model is " + mlp.config());
        fill(file, f, mlp);
    }

    /** The config stored in a file's metadata. */
    public static MlpConfig config(Path file, Map<String, String> meta) throws CheckpointException {
        String format = meta.get(KEY_FORMAT);
        if (!FORMAT.equals(format))
            throw new CheckpointException(file, "not an MLP checkpoint: metadata '" + KEY_FORMAT + "' is "
                    + (format == null ? "missing" : "'" + format + "'") + ", expected '" + FORMAT + "'");
        String widths = meta.get(KEY_WIDTHS), act = meta.get(KEY_ACTIVATION);
        if (widths == null || act == null)
            throw new CheckpointException(file, "metadata lacks '" + (widths == null ? KEY_WIDTHS : KEY_ACTIVATION)
                    + "'; it has " + meta.keySet());
        try {
            return new MlpConfig(MlpConfig.parseWidths(widths), Activation.parse(act));
        } catch (IllegalArgumentException e) {
            throw new CheckpointException(file, "bad MLP config in metadata (widths '" + widths + "', activation '"
                    + act + "'): " + e.getMessage());
        }
    }

    /** Copies the file's tensors into the model after checking names and shapes against its config. */
    static void fill(Path file, SafetensorsFile f, Mlp mlp) throws CheckpointException {
        Parameters p = mlp.parameters();
        for (String name : f.tensors().keySet())
            if (name.startsWith("layers.") && !p.names().contains(name))
                throw new CheckpointException(file, "tensor '" + name + "' is not part of " + mlp.config());
        for (Parameters.Entry e : p.entries()) {
            NamedArray a = f.tensors().get(e.name());
            if (a == null)
                throw new CheckpointException(file, "missing tensor '" + e.name() + "' " + Arrays.toString(e.shape())
                        + " of " + mlp.config());
            if (!Arrays.equals(a.shape(), e.shape()))
                throw new CheckpointException(file, "tensor '" + e.name() + "' has shape " + Arrays.toString(a.shape())
                        + " but " + mlp.config() + " needs " + Arrays.toString(e.shape()));
        }
        for (Parameters.Entry e : p.entries()) p.load(e.name(), f.tensors().get(e.name()).data());
    }
}
