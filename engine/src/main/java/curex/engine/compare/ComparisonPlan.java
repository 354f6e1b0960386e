// What a comparison runs: per seed the teacher (when a method needs one), then each method, with their settings.
package curex.engine.compare;

import curex.engine.distill.Method;
import curex.engine.distill.StagePlan;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * Seed s trains its teacher with seed s and every method's student with seed s, so within a seed all methods start
 * from the same student, see the same batches in the same order and are evaluated on the same held-out set; only the
 * method differs.
 */
public final class ComparisonPlan {
    private final Preset preset;
    private final List<Long> seeds;
    private final List<Variant> variants;

    public ComparisonPlan(Preset preset, List<Long> seeds, List<Method> methods) {
        this(preset, seeds, methodVariants(preset, methods), true);
    }

    private ComparisonPlan(Preset preset, List<Long> seeds, List<Variant> variants, boolean checked) {
        if (preset == null) throw new IllegalArgumentException("a comparison needs a preset");
        if (seeds == null || seeds.isEmpty()) throw new IllegalArgumentException("a comparison needs at least one seed");
        if (new LinkedHashSet<>(seeds).size() != seeds.size())
            throw new IllegalArgumentException("seeds listed twice: " + seeds);
        if (variants == null || variants.isEmpty()) throw new IllegalArgumentException("a comparison needs at least one method");
        List<String> ids = variants.stream().map(Variant::id).toList();
        if (new LinkedHashSet<>(ids).size() != ids.size())
            throw new IllegalArgumentException("methods listed twice: " + ids);
        for (Variant v : variants)   // stages that leave no budget: before any run trains, not when extract starts
            if (v.method() == Method.EXTRACT) {
                try {
                    StagePlan.extraction(v.settings(), preset.student().model(), preset.teacher().model(),
                            preset.student().training().steps());
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(v.id() + " (the student's --steps): " + e.getMessage());
                }
            }
        this.preset = preset;
        this.seeds = List.copyOf(seeds);
        this.variants = List.copyOf(variants);
    }

    /** A comparison of arbitrary arms (a sweep's settings of one method, say) on {@code preset}'s teacher and student. */
    public static ComparisonPlan ofVariants(Preset preset, List<Long> seeds, List<Variant> variants) {
        return new ComparisonPlan(preset, seeds, variants, true);
    }

    private static List<Variant> methodVariants(Preset preset, List<Method> methods) {
        if (methods == null || preset == null) return null;
        return methods.stream().map(m -> Variant.of(preset, m)).toList();
    }

    /** Seeds 0..count-1. */
    public ComparisonPlan(Preset preset, int count, List<Method> methods) {
        this(preset, firstSeeds(count), methods);
    }

    private static List<Long> firstSeeds(int count) {
        if (count < 1) throw new IllegalArgumentException("a comparison needs at least one seed, got " + count);
        List<Long> s = new ArrayList<>();
        for (long i = 0; i < count; i++) s.add(i);
        return s;
    }

    /** Parses method ids ("ce", "oneshot", "progressive", "extract"); an error listing the valid ones otherwise. */
    public static List<Method> parseMethods(List<String> ids) {
        return ids.stream().map(Method::parse).toList();
    }

    /** Every method, in the order the report lists them. */
    public static List<Method> allMethods() {
        return Arrays.asList(Method.values());
    }

    public Preset preset() {
        return preset;
    }

    public List<Long> seeds() {
        return seeds;
    }

    /** The arms, in the order the report lists them. */
    public List<Variant> variants() {
        return variants;
    }

    /**
     * The comparison's settings as compare-settings.json stores them: the preset's, the seeds, the arms' ids, and the
     * settings of any arm that is not a method with the preset's options.
     */
    public Map<String, Object> settings() {
        Map<String, Object> m = preset.toMap();
        m.put(SettingsFile.SEEDS, seeds);
        m.put(SettingsFile.METHODS, variants.stream().map(Variant::id).toList());
        Map<String, Object> own = new LinkedHashMap<>();
        for (Variant v : variants)
            if (!v.settings().toMap().equals(Variant.of(preset, v.method()).settings().toMap()))
                own.put(v.id(), v.settings().toMap());
        if (!own.isEmpty()) m.put("variants", own);
        return m;
    }

    /**
     * The runs in order: for each seed its teacher (if any method needs one), then the methods. With a shared teacher
     * ({@link ComparisonRules#sharedTeacher}) one teacher, trained with the first seed in {@code teacher/}, comes first
     * and serves every seed. When the students' target comes from the teacher, the teacher is trained even for
     * methods that do not read it.
     */
    public List<PlannedRun> runs() {
        boolean needTeacher = preset.rules().targetFromTeacher()
                || variants.stream().anyMatch(v -> v.method().needsTeacher());
        boolean shared = preset.rules().sharedTeacher();
        List<PlannedRun> runs = new ArrayList<>();
        PlannedRun sharedTeacher = shared ? teacherRun(seeds.get(0), Path.of(PlannedRun.TEACHER)) : null;
        if (shared && needTeacher) runs.add(sharedTeacher);
        for (long s : seeds) {
            Path seedDir = Path.of("seed-" + s);
            PlannedRun teacher = shared ? sharedTeacher : teacherRun(s, seedDir.resolve(PlannedRun.TEACHER));
            if (!shared && needTeacher) runs.add(teacher);
            for (Variant v : variants) runs.add(methodRun(s, v, seedDir, v.method().needsTeacher() ? teacher : null));
        }
        return runs;
    }

    private PlannedRun teacherRun(long seed, Path dir) {
        RunSpec spec = preset.teacher().withSeed(seed);
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("role", PlannedRun.TEACHER);
        settings.put("task", preset.task().toMap());
        settings.put("training", spec.toMap(true));
        settings.put("checkpoint_every", preset.checkpointEvery());
        return new PlannedRun(seed, null, PlannedRun.TEACHER, dir, spec, null, null, preset.checkpointEvery(), settings);
    }

    private PlannedRun methodRun(long seed, Variant v, Path seedDir, PlannedRun teacher) {
        RunSpec spec = preset.student().withSeed(seed);
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("role", v.id());
        settings.put("task", preset.task().toMap());
        settings.put("student", spec.toMap(true));
        settings.put("distill", v.settings().toMap());
        settings.put("teacher", teacher == null ? null : teacher.settings());
        return new PlannedRun(seed, v.method(), v.id(), seedDir.resolve(v.id()), spec, v.settings(),
                teacher == null ? null : teacher.dir(), 0, settings);
    }
}
