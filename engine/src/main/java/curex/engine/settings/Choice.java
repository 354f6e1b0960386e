// Parsing of the lower-case option words (method, optimizer, schedule, ...) into enums with clear errors.
package curex.engine.settings;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Shared by the option enums of the engine and the command line: {@code id()} is the lower-case word a user types,
 * and each enum's {@code toString()} returns it, so that help texts list the words users type.
 */
public final class Choice {
    private Choice() {
    }

    /** The constant of {@code type} whose lower-case name equals {@code word} (trimmed, any case, '-' or '_'). */
    public static <E extends Enum<E>> E parse(Class<E> type, String what, String word) {
        String w = word == null ? "" : word.trim().toLowerCase(Locale.ROOT).replace('_', '-');
        for (E e : type.getEnumConstants()) if (id(e).equals(w)) return e;
        throw new IllegalArgumentException("unknown " + what + " '" + word + "'; expected one of " + ids(type));
    }

    /** The word of a constant: its name in lower case, '_' written as '-'. */
    public static String id(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** "a|b|c". */
    public static <E extends Enum<E>> String ids(Class<E> type) {
        return Arrays.stream(type.getEnumConstants()).map(Choice::id).collect(Collectors.joining("|"));
    }
}
