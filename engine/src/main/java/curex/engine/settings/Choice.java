// Parsing of the lower-case option words (method, projection kind, ...) into enums with clear errors.
package curex.engine.distill;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** Shared by the option enums: {@code id()} is the lower-case word a user types. */
final class Choice {
    private Choice() {
    }

    /** The constant of {@code type} whose lower-case name equals {@code word} (trimmed, any case). */
    static <E extends Enum<E>> E parse(Class<E> type, String what, String word) {
        String w = word == null ? "" : word.trim().toLowerCase(Locale.ROOT);
        for (E e : type.getEnumConstants()) if (id(e).equals(w)) return e;
        throw new IllegalArgumentException("unknown " + what + " '" + word + "'; expected one of " + ids(type));
    }

    static String id(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT);
    }

    /** "a|b|c". */
    static <E extends Enum<E>> String ids(Class<E> type) {
        return Arrays.stream(type.getEnumConstants()).map(Choice::id).collect(Collectors.joining("|"));
    }
}
