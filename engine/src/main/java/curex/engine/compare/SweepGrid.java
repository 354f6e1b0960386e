// The extraction settings a sweep tries: stage lengths x (every block or the last) x (adapter or not), and auto.
package curex.engine.compare;

import curex.engine.distill.DistillSettings;
import curex.engine.distill.Method;
import curex.engine.distill.StageLength;

import java.util.ArrayList;
import java.util.List;

/**
 * Every arm is extract with the preset's options except: its stage length, which student layers get a stage (all, or
 * only the last; the two coincide for a one-layer student, which then gets only "all"), and the adapter. The automatic
 * arms: {@value #AUTO} is distill's default (the automatic stage length on every layer, no adapter), and
 * {@value #AUTO_ADAPTER} the same with an adapter. A fixed arm whose stages
 * would take the student's whole budget (no step left for the final KD stage) is left out, and {@link #leftOut} says so.
 */
public final class SweepGrid {
    /** The id of the automatic arm. */
    public static final String AUTO = "auto";
    /** The id of the automatic arm with an adapter. */
    public static final String AUTO_ADAPTER = "auto-adapter";
    /** Stage lengths swept unless the user gives others. */
    public static final List<Long> DEFAULT_LENGTHS = List.of(50L, 100L, 300L, 1000L);

    private SweepGrid() {
    }

    /** The arms for {@code preset}: the fixed grid over {@code lengths}, then the two automatic ones. */
    public static List<Variant> of(Preset preset, List<Long> lengths) {
        if (lengths.isEmpty()) throw new IllegalArgumentException("a sweep needs at least one stage length");
        DistillSettings base = preset.settingsFor(Method.EXTRACT);
        int depth = preset.student().model().depth();
        List<Variant> out = new ArrayList<>();
        for (long length : lengths)
            for (boolean last : layerChoices(depth)) {
                if (fillsBudget(preset, length, last)) continue;
                for (boolean adapter : List.of(true, false)) {
                    DistillSettings s = base.toBuilder().stageLength(StageLength.fixed(length)).adapter(adapter)
                            .stages(last ? new int[]{depth} : new int[0]).build();
                    out.add(new Variant(name(length, last) + (adapter ? "" : "-noadapter"), Method.EXTRACT, s));
                }
            }
        for (boolean adapter : List.of(false, true))
            out.add(new Variant(adapter ? AUTO_ADAPTER : AUTO, Method.EXTRACT, base.toBuilder()
                    .stageLength(StageLength.auto()).adapter(adapter).stages(new int[0]).build()));
        return out;
    }

    /** The fixed settings {@link #of} leaves out, each with the reason: its stages take the whole budget. */
    public static List<String> leftOut(Preset preset, List<Long> lengths) {
        int depth = preset.student().model().depth();
        long budget = preset.student().training().steps();
        List<String> out = new ArrayList<>();
        for (long length : lengths)
            for (boolean last : layerChoices(depth))
                if (fillsBudget(preset, length, last))
                    out.add(name(length, last) + " (with and without the adapter): " + (last ? 1 : depth)
                            + " stage(s) of " + length + " steps take the whole " + budget + "-step budget");
        return out;
    }

    /** A stage on every layer, or (for a student deeper than one layer, where the two differ) on the last only. */
    private static List<Boolean> layerChoices(int depth) {
        return depth > 1 ? List.of(false, true) : List.of(false);
    }

    /** The id of a fixed setting before its adapter suffix: "len100-all", "len100-last". */
    private static String name(long length, boolean last) {
        return "len" + length + (last ? "-last" : "-all");
    }

    /** Whether the projection stages alone (every student layer's, or the last one's) use up the student's budget. */
    private static boolean fillsBudget(Preset preset, long length, boolean last) {
        int stages = last ? 1 : preset.student().model().depth();
        return stages * length >= preset.student().training().steps();
    }
}
