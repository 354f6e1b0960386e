// Rebuilds the task a model was trained on from its checkpoint's metadata.
package curex.engine.data;

import java.util.Map;

/** The task kinds curex knows, keyed by the {@code task} metadata entry their {@link Task#metadata()} writes. */
public final class Tasks {
    public static final String KEY = "task";

    private Tasks() {
    }

    /** The task recorded in {@code meta}; an IllegalArgumentException saying what is missing or unknown. */
    public static Task fromMetadata(Map<String, String> meta) {
        String name = meta.get(KEY);
        if (name == null) throw new IllegalArgumentException("the metadata names no task (no '" + KEY + "' entry)");
        return switch (name) {
            case SparseParity.NAME -> SparseParity.fromMetadata(meta);
            case ParitySequence.NAME -> ParitySequence.fromMetadata(meta);
            case PcfgTask.NAME -> PcfgTask.fromMetadata(meta);
            case TextTask.NAME -> TextTask.fromMetadata(meta);
            default -> throw new IllegalArgumentException("unknown task '" + name + "' in the metadata");
        };
    }
}
