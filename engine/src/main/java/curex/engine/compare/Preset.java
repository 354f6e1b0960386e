// Named comparison setups: the task, the teacher's training, the shared student training and the method options.
package curex.engine.compare;

import curex.engine.autograd.Activation;
import curex.engine.distill.DistillSettings;
import curex.engine.distill.Method;
import curex.engine.distill.StageLength;
import curex.engine.distill.StudentTraining;
import curex.engine.distill.StudentTraining.OptimizerKind;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One comparison setup on sparse parity (n, k). The teacher is trained per seed by {@code teacher} (its
 * {@code steps} is a maximum; with {@code stopAtTarget} it stops at the first evaluation reaching its target),
 * saving a checkpoint every {@code checkpointEvery} steps for progressive KD. Every method trains the same
 * {@code student} (seed replaced per run) with its options taken from {@code distill} (whose method is ignored).
 * Seeds in the two training specs are placeholders; {@link ComparisonPlan} sets them.
 * {@code listed} presets are offered to users; the others exist for tests.
 */
public record Preset(String name, String description, boolean listed, int n, int k, StudentTraining teacher,
                     long checkpointEvery, StudentTraining student, DistillSettings distill) {

    public Preset {
        if (k < 1 || k > n) throw new IllegalArgumentException("preset " + name + ": need 1 <= k <= n, got n=" + n + ", k=" + k);
        if (checkpointEvery < 1) throw new IllegalArgumentException("preset " + name + ": checkpoint interval must be >= 1");
    }

    /**
     * CPU, minutes: parity(40, 6), teacher 40->2000->2 fully trained for a fixed 6,000 steps (it passes 99% at about
     * 2,000; checkpoints every 100 steps), student 40->50->2, AdamW 3e-3, batch 128, 10,000 steps, fresh samples every
     * step, 4096 held-out samples, target 99%.
     */
    public static Preset quick() {
        StudentTraining teacher = StudentTraining.builder().hidden(2000).batch(128).steps(6000).lr(3e-3)
                .evalEvery(500).evalSize(4096).targetAccuracy(0.99).stopAtTarget(false).build();
        StudentTraining student = StudentTraining.builder().hidden(50).batch(128).steps(10_000).lr(3e-3)
                .evalEvery(100).evalSize(4096).targetAccuracy(0.99).stopAtTarget(false).build();
        DistillSettings distill = DistillSettings.builder().temperature(1).stageLength(StageLength.fixed(300)).speed(1)
                .build();
        return new Preset("quick", "parity(40, 6) on a CPU in minutes: teacher 40-2000-2 trained for 6,000 steps, "
                + "student 40-50-2, 10,000 steps", true, 40, 6, teacher, 100, student, distill);
    }

    /**
     * {@link #quick()} with teachers that stop at their first evaluation (every 100 steps) reaching 99%, instead of
     * training on: a less converged teacher, to see how the methods depend on it.
     */
    public static Preset quickEarly() {
        Preset q = quick();
        StudentTraining t = q.teacher();
        StudentTraining teacher = new StudentTraining(t.hidden(), t.activation(), t.batch(), t.steps(), t.optimizer(),
                t.lr(), t.momentum(), t.weightDecay(), t.schedule(), t.warmup(), t.clip(), t.seed(), 100, t.evalSize(),
                t.targetAccuracy(), true);
        return new Preset("quick-early", "quick with teachers stopped at their first evaluation reaching 99%", true,
                q.n(), q.k(), teacher, q.checkpointEvery(), q.student(), q.distill());
    }

    /**
     * The published sizes, for a GPU or a long CPU run: parity(100, 6), teacher width 50,000, student width 1000.
     * Instead of the paper's SGD with batch 1 (millions of tiny steps), AdamW 1e-3 on batches of 256.
     */
    public static Preset paper() {
        StudentTraining teacher = StudentTraining.builder().hidden(50_000).batch(256).steps(200_000).lr(1e-3)
                .evalEvery(1000).evalSize(4096).targetAccuracy(0.99).stopAtTarget(true).build();
        StudentTraining student = StudentTraining.builder().hidden(1000).batch(256).steps(200_000).lr(1e-3)
                .evalEvery(1000).evalSize(4096).targetAccuracy(0.99).stopAtTarget(false).build();
        DistillSettings distill = DistillSettings.builder().temperature(1).stageLength(StageLength.fixed(2000)).speed(1)
                .build();
        return new Preset("paper", "parity(100, 6) at the published sizes: teacher 100-50000-2, student 100-1000-2 "
                + "(--student-hidden 100 for the paper's narrow student), 200,000 steps", true, 100, 6, teacher, 1000,
                student, distill);
    }

    /** Seconds on a CPU, for tests: parity(10, 2), teacher 10-64-2, student 10-16-2, 60 steps. */
    public static Preset tiny() {
        StudentTraining teacher = StudentTraining.builder().hidden(64).batch(32).steps(120).lr(1e-2)
                .evalEvery(20).evalSize(256).targetAccuracy(0.95).stopAtTarget(true).build();
        StudentTraining student = StudentTraining.builder().hidden(16).batch(32).steps(60).lr(1e-2)
                .activation(Activation.RELU).optimizer(OptimizerKind.ADAMW)
                .evalEvery(20).evalSize(256).targetAccuracy(0.6).stopAtTarget(false).build();
        DistillSettings distill = DistillSettings.builder().stageLength(StageLength.fixed(20)).standardizeSamples(256)
                .build();
        return new Preset("tiny", "test preset: parity(10, 2), 60 steps", false, 10, 2, teacher, 20, student, distill);
    }

    private static List<Preset> all() {
        return List.of(quick(), quickEarly(), paper(), tiny());
    }

    /** The names users can choose. */
    public static List<String> names() {
        return all().stream().filter(Preset::listed).map(Preset::name).toList();
    }

    /** The preset called {@code name}; an error listing the valid names otherwise. */
    public static Preset named(String name) {
        String w = name == null ? "" : name.strip();
        return all().stream().filter(p -> p.name.equals(w)).findFirst().orElseThrow(() ->
                new IllegalArgumentException("unknown preset '" + name + "'; expected one of " + String.join(", ", names())));
    }

    /** This preset with another student shape (e.g. the paper's width 100). */
    public Preset withStudentHidden(int... hidden) {
        return new Preset(name, description, listed, n, k, teacher, checkpointEvery,
                SeededTraining.withHidden(student, hidden), distill);
    }

    /** The method's settings: the preset's options under {@code method}. */
    public DistillSettings settingsFor(Method method) {
        DistillSettings d = distill;
        return new DistillSettings(method, d.temperature(), d.hardLabels(), d.alpha(), d.projection(), d.projectionDim(),
                d.adapter(), d.stageLoss(), d.stages(), d.layerMap(), d.trainedLayers(), d.stageLength(), d.speed(),
                d.standardizeSamples());
    }

    /** Everything that defines the experiment except the seeds, as compare-settings.json holds it. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("preset", name);
        m.put("task", taskMap());
        Map<String, Object> t = withoutSeed(teacher);
        t.put("checkpoint_every", checkpointEvery);
        m.put("teacher", t);
        m.put("student", withoutSeed(student));
        Map<String, Object> methods = new LinkedHashMap<>();
        for (Method method : Method.values()) methods.put(method.id(), settingsFor(method).toMap());
        m.put("method_settings", methods);
        return m;
    }

    Map<String, Object> taskMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", "parity");
        m.put("n", n);
        m.put("k", k);
        return m;
    }

    private static Map<String, Object> withoutSeed(StudentTraining t) {
        Map<String, Object> m = t.toMap();
        m.remove("seed");
        return m;
    }
}
