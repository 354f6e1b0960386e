// The contents of one safetensors file: its string metadata and its tensors in file order.
package curex.engine.io;

import java.util.LinkedHashMap;
import java.util.Map;

/** What {@link Safetensors#read} returns: {@code __metadata__} and the tensors keyed by name, in header order. */
public record SafetensorsFile(Map<String, String> metadata, LinkedHashMap<String, NamedArray> tensors) {

    /** The tensor called {@code name}; an {@link IllegalArgumentException} listing the names if absent. */
    public NamedArray tensor(String name) {
        NamedArray t = tensors.get(name);
        if (t == null)
            throw new IllegalArgumentException("no tensor '" + name + "' in checkpoint; it holds " + tensors.keySet());
        return t;
    }
}
