// The shape of an MLP: layer widths from input to output and the hidden activation.
package curex.engine.nn;

import curex.engine.autograd.Activation;

import java.util.Arrays;

/**
 * widths = [in, hidden_1, ..., hidden_{L-1}, out]: L linear layers, each hidden one followed by the activation.
 */
public record MlpConfig(int[] widths, Activation activation) {

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

    @Override
    public int[] widths() {
        return widths.clone();
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

    /** Width of layer l's output, l = 1..L (the hidden width for l < L). */
    public int width(int l) {
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
        String[] parts = s.split(",");
        int[] w = new int[parts.length];
        for (int i = 0; i < parts.length; i++) w[i] = Integer.parseInt(parts[i].trim());
        return w;
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
