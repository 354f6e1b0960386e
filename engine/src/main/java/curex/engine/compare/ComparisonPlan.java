// What a comparison runs: per seed the teacher (when a method needs one), then each method, with their settings.
package curex.engine.compare;

import curex.engine.distill.Method;

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
    private final List<Method> methods;

    public ComparisonPlan(Preset preset, List<Long> seeds, List<Method> methods) {
        if (preset == null) throw new IllegalArgumentException("a comparison needs a preset");
        if (seeds == null || seeds.isEmpty()) throw new IllegalArgumentException("a comparison needs at least one seed");
        if (new LinkedHashSet<>(seeds).size() != seeds.size())
            throw new IllegalArgumentException("seeds listed twice: " + seeds);
        if (methods == null || methods.isEmpty()) throw new IllegalArgumentException("a comparison needs at least one method");
        if (new LinkedHashSet<>(methods).size() != methods.size())
            throw new IllegalArgumentException("methods listed twice: " + methods.stream().map(Method::id).toList());
        this.preset = preset;
        this.seeds = List.copyOf(seeds);
        this.methods = List.copyOf(methods);
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

    public List<Method> methods() {
        return methods;
    }

    /** The comparison's settings as compare-settings.json stores them: the preset's, the seeds, the methods. */
    public Map<String, Object> settings() {
        Map<String, Object> m = preset.toMap();
        m.put(SettingsFile.SEEDS, seeds);
        m.put(SettingsFile.METHODS, methods.stream().map(Method::id).toList());
        return m;
    }

    /**
     * The runs in order: for each seed its teacher (if any method needs one), then the methods. With a shared teacher
     * ({@link ComparisonRules#sharedTeacher}) one teacher, trained with the first seed in {@code teacher/}, comes first
     * and serves every seed. When the students' target comes from the teacher, the teacher is trained even for
     * methods that do not read it.
     */
    public List<PlannedRun> runs() {
        boolean needTeacher = preset.rules().targetFromTeacher() || methods.stream().anyMatch(Method::needsTeacher);
        boolean shared = preset.rules().sharedTeacher();
        List<PlannedRun> runs = new ArrayList<>();
        PlannedRun sharedTeacher = shared ? teacherRun(seeds.get(0), Path.of(PlannedRun.TEACHER)) : null;
        if (shared && needTeacher) runs.add(sharedTeacher);
        for (long s : seeds) {
            Path seedDir = Path.of("seed-" + s);
            PlannedRun teacher = shared ? sharedTeacher : teacherRun(s, seedDir.resolve(PlannedRun.TEACHER));
            if (!shared && needTeacher) runs.add(teacher);
            for (Method m : methods) runs.add(methodRun(s, m, seedDir, m.needsTeacher() ? teacher : null));
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
        return new PlannedRun(seed, null, dir, spec, null, null,
                preset.checkpointEvery(), settings);
    }

    private PlannedRun methodRun(long seed, Method m, Path seedDir, PlannedRun teacher) {
        RunSpec spec = preset.student().withSeed(seed);
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("role", m.id());
        settings.put("task", preset.task().toMap());
        settings.put("student", spec.toMap(true));
        settings.put("distill", preset.settingsFor(m).toMap());
        settings.put("teacher", teacher == null ? null : teacher.settings());
        return new PlannedRun(seed, m, seedDir.resolve(m.id()), spec, preset.settingsFor(m),
                teacher == null ? null : teacher.dir(), 0, settings);
    }
}
