// Compares two settings maps as JSON would store them, naming each setting that differs by its dotted path.
package curex.engine.compare;

import com.fasterxml.jackson.core.type.TypeReference;
import curex.engine.io.Json;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Both maps are first written as JSON text and read back (so 3 and 3L compare equal, as they do once stored),
 * then flattened: nested maps become dotted keys ({@code student.steps}).
 */
final class SettingsDiff {
    private static final TypeReference<LinkedHashMap<String, Object>> MAP = new TypeReference<>() {
    };

    private SettingsDiff() {
    }

    /** The settings as they read back from a JSON file. */
    static Map<String, Object> normalized(Map<String, ?> settings) {
        try {
            return Json.mapper().readValue(Json.mapper().writeValueAsString(settings), MAP);
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            throw new IllegalArgumentException("settings are not JSON-encodable: " + e.getOriginalMessage(), e);
        }
    }

    static boolean same(Map<String, ?> a, Map<String, ?> b) {
        return differences(a, b).isEmpty();
    }

    /** "student.steps (there 8000, now 10000)" for each differing setting, in key order. */
    static List<String> differences(Map<String, ?> there, Map<String, ?> now) {
        Map<String, Object> a = flatten(normalized(there)), b = flatten(normalized(now));
        Set<String> keys = new LinkedHashSet<>(a.keySet());
        keys.addAll(b.keySet());
        List<String> out = new ArrayList<>();
        for (String k : keys) {
            if (Objects.equals(a.get(k), b.get(k))) continue;
            out.add(k + " (there " + shown(a, k) + ", now " + shown(b, k) + ")");
        }
        return out;
    }

    private static String shown(Map<String, Object> m, String key) {
        return m.containsKey(key) ? String.valueOf(m.get(key)) : "absent";
    }

    private static Map<String, Object> flatten(Map<String, Object> m) {
        Map<String, Object> out = new LinkedHashMap<>();
        flatten("", m, out);
        return out;
    }

    @SuppressWarnings("unchecked")
    private static void flatten(String prefix, Map<String, Object> m, Map<String, Object> out) {
        for (Map.Entry<String, Object> e : m.entrySet()) {
            String key = prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey();
            if (e.getValue() instanceof Map<?, ?> sub && !sub.isEmpty()) flatten(key, (Map<String, Object>) sub, out);
            else out.put(key, e.getValue());
        }
    }
}
