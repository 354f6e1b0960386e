// An optimizer's state as host arrays: named buffers in the parameters' layout and per-tensor step counts.
package curex.engine.optim;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a resume needs to continue an optimizer bit for bit: its kind ("adamw", "sgd"), its buffers (e.g. "m"
 * and "v", each as long as the parameter buffer) and the update count of each named parameter tensor, in layout
 * order.
 */
public record OptimizerState(String kind, Map<String, float[]> buffers, long[] steps) {

    public OptimizerState {
        buffers = new LinkedHashMap<>(buffers);
        steps = steps.clone();
    }

    @Override
    public long[] steps() {
        return steps.clone();
    }

    /** A named buffer; fails naming the buffers present. */
    public float[] buffer(String name) {
        float[] b = buffers.get(name);
        if (b == null) throw new IllegalArgumentException(kind + " optimizer state has no buffer '" + name
                + "'; it has " + buffers.keySet());
        return b;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof OptimizerState s) || !kind.equals(s.kind) || !Arrays.equals(steps, s.steps)
                || !buffers.keySet().equals(s.buffers.keySet())) return false;
        for (Map.Entry<String, float[]> e : buffers.entrySet())
            if (!Arrays.equals(e.getValue(), s.buffers.get(e.getKey()))) return false;
        return true;
    }

    @Override
    public int hashCode() {
        return kind.hashCode() * 31 + Arrays.hashCode(steps);
    }
}
