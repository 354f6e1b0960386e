// The task facts stored in a model file's metadata, so later commands (eval, distill) know the task.
package curex.engine.compare;

import java.util.LinkedHashMap;
import java.util.Map;

/** Keys as `curex train` writes them: {@code task}, {@code parity.n}, {@code parity.k}, {@code seed}. */
public final class TaskMetadata {
    public static final String TASK = "task";
    public static final String N = "parity.n";
    public static final String K = "parity.k";
    public static final String SEED = "seed";

    private TaskMetadata() {
    }

    /** The entries for parity(n, k) trained with {@code seed}, plus {@code extra} (e.g. the method). */
    public static Map<String, String> parity(int n, int k, long seed, Map<String, String> extra) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(TASK, "parity");
        m.put(N, Integer.toString(n));
        m.put(K, Integer.toString(k));
        m.put(SEED, Long.toString(seed));
        if (extra != null) m.putAll(extra);
        return m;
    }
}
