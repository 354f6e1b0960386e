// The shape of an MLP: layer widths from input to output and the hidden activation.
package curex.engine.nn;

import curex.engine.autograd.Activation;
import curex.engine.data.Task;
import curex.engine.model.ModelConfig;
import curex.engine.model.ModelFamily;
import curex.kernels.Backend;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * widths = [in, hidden_1, ..., hidden_{L-1}, out]: L linear layers, each hidden one followed by the activation.
 * Checkpoints record it in {@code __metadata__} as {@code format = curex.mlp}, {@code widths = "in,h1,...,out"},
 * {@code activation} (relu or gelu) and {@code activation.torch}, the exact PyTorch function.
 */
public record MlpConfig(int[] widths, Activation activation) implements ModelConfig {
    public static final String KEY_WIDTHS = "widths";
    public static final String KEY_ACTIVATION = "activation";
    public static final String KEY_TORCH_ACTIVATION = "activation.torch";

    public MlpConfig {
        if (widths == null || widths.length < 2)
            throw new IllegalArgumentException("an MLP needs at least input and output widths, got "
                    + Arrays.toString(widths));
        for (int w : widths)
            if (w < 1) throw new IllegalArgumentException("MLP widths must be >= 1, got " + Arrays.toString(widths));
        if (activation == null || activation == Activation.NONE)
            throw new IllegalArgumentException("an MLP's hidden activation must be relu or gelu");
        widths = widths.clone();
    }

    public static MlpConfig of(Activation activation, int... widths) {
        return new MlpConfig(widths, activation);
    }

    /** [inputs, hidden..., outputs]. */
    public static MlpConfig of(Activation activation, int inputs, int[] hidden, int outputs) {
        int[] w = new int[hidden.length + 2];
        w[0] = inputs;
        System.arraycopy(hidden, 0, w, 1, hidden.length);
        w[w.length - 1] = outputs;
        return new MlpConfig(w, activation);
    }

    /** An MLP with these hidden widths that reads {@code task}'s features and predicts its classes. */
    public static MlpConfig forTask(Task task, Activation activation, int... hidden) {
        if (task.input() != Task.Input.FEATURES || task.readout() != Task.Readout.SAMPLE)
            throw new IllegalArgumentException("an MLP reads real-valued features and predicts one class per sample; "
                    + task.describe() + " is not such a task");
        return of(activation, task.sampleSize(), hidden, task.classes());
    }

    /** The config recorded in checkpoint metadata. */
    public static MlpConfig fromMetadata(Map<String, String> meta) {
        String widths = meta.get(KEY_WIDTHS), act = meta.get(KEY_ACTIVATION);
        if (widths == null || act == null)
            throw new IllegalArgumentException("MLP metadata lacks '" + (widths == null ? KEY_WIDTHS : KEY_ACTIVATION)
                    + "'; it has " + meta.keySet());
        try {
            return new MlpConfig(parseWidths(widths), Activation.parse(act));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("bad MLP config in metadata (widths '" + widths + "', activation '"
                    + act + "'): " + e.getMessage());
        }
    }

    @Override
    public ModelFamily family() {
        return ModelFamily.MLP;
    }

    @Override
    public Mlp create(Backend backend, long seed) {
        return Mlp.create(backend, this, seed);
    }

    @Override
    public Mlp zeros(Backend backend) {
        return Mlp.zeros(backend, this);
    }

    @Override
    public Map<String, String> metadata() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(ModelFamily.KEY, family().format());
        m.put(KEY_WIDTHS, widthsString());
        m.put(KEY_ACTIVATION, activation.id());
        m.put(KEY_TORCH_ACTIVATION, activation.pytorchName());
        return m;
    }

    @Override
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("family", "mlp");
        m.put("widths", Arrays.stream(widths).boxed().toList());
        m.put("activation", activation.id());
        return m;
    }

    @Override
    public void checkTask(Task task) {
        if (task.input() != Task.Input.FEATURES)
            throw new IllegalArgumentException("takes real-valued features but " + task.describe() + " gives token ids");
        if (inputs() != task.sampleSize())
            throw new IllegalArgumentException("takes " + inputs() + " inputs but the task has n=" + task.sampleSize());
        if (outputs() != task.classes())
            throw new IllegalArgumentException("gives " + outputs() + " outputs but the task has " + task.classes()
                    + " classes");
    }

    @Override
    public long parameterCount() {
        long n = 0;
        for (int l = 0; l + 1 < widths.length; l++) n += (long) widths[l] * widths[l + 1] + widths[l + 1];
        return n;
    }

    /** Each layer's output, its gradient and (GELU) its pre-activation. */
    @Override
    public long activationFloatsPerRow() {
        long n = 0;
        for (int l = 1; l < widths.length; l++) n += 3L * widths[l];
        return n;
    }

    @Override
    public String describe() {
        StringBuilder sb = new StringBuilder("MLP ");
        for (int i = 0; i < widths.length; i++) sb.append(i == 0 ? "" : "-").append(widths[i]);
        return sb.append(" (").append(activation.id()).append(")").toString();
    }

    @Override
    public int[] widths() {
        return widths.clone();
    }

    /** The hidden widths (a copy). */
    public int[] hidden() {
        return Arrays.copyOfRange(widths, 1, widths.length - 1);
    }

    /** Number of linear layers L. */
    public int layers() {
        return widths.length - 1;
    }

    public int inputs() {
        return widths[0];
    }

    public int outputs() {
        return widths[widths.length - 1];
    }

    /** Hidden layers: L - 1. */
    @Override
    public int depth() {
        return widths.length - 2;
    }

    /** Width of layer l's output, l = 1..L (the hidden width for l < L). */
    @Override
    public int width(int l) {
        if (l < 1 || l >= widths.length)
            throw new IllegalArgumentException("layer " + l + " of " + describe() + ": expected 1.." + (widths.length - 1));
        return widths[l];
    }

    /** Widths as "100,1000,2", the form checkpoints store. */
    public String widthsString() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < widths.length; i++) sb.append(i == 0 ? "" : ",").append(widths[i]);
        return sb.toString();
    }

    /** Parses "100,1000,2". */
    public static int[] parseWidths(String s) {
        return List.of(s.split(",")).stream().map(String::trim).mapToInt(Integer::parseInt).toArray();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MlpConfig c && Arrays.equals(widths, c.widths) && activation == c.activation;
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(widths) + activation.hashCode();
    }

    @Override
    public String toString() {
        return "MLP(" + widthsString() + ", " + activation.id() + ")";
    }
}
