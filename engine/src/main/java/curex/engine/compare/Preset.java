// Named comparison setups: the task, the teacher and its training, the shared student training and the methods' options.
package curex.engine.compare;

import curex.engine.autograd.Activation;
import curex.engine.data.Grammar;
import curex.engine.data.ParitySequence;
import curex.engine.data.PcfgTask;
import curex.engine.data.SparseParity;
import curex.engine.data.Task;
import curex.engine.data.TextTask;
import curex.engine.distill.DistillSettings;
import curex.engine.distill.Method;
import curex.engine.distill.StageLength;
import curex.engine.nn.MlpConfig;
import curex.engine.nn.TransformerConfig;
import curex.engine.settings.EvalSettings;
import curex.engine.optim.ScheduleKind;
import curex.engine.settings.OptimizerSettings;
import curex.engine.settings.TrainingSettings;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One comparison setup. The teacher is trained per seed as {@code teacher} says (its steps a maximum; when its
 * evaluation stops at the target, it ends at the first evaluation reaching it), saving a checkpoint every
 * {@code checkpointEvery} steps for progressive KD. Every method trains the same {@code student} (seed set per run)
 * with its options taken from {@code distill} (whose method is ignored). {@code listed} presets are offered to users;
 * the others exist for tests. {@code rules} say whether the seeds share one teacher, how the students' target is set
 * and at which steps the report lists accuracy.
 */
public record Preset(String name, String description, boolean listed, Task task, RunSpec teacher,
                     long checkpointEvery, RunSpec student, DistillSettings distill, ComparisonRules rules) {

    public Preset {
        if (task == null || teacher == null || student == null || distill == null || rules == null)
            throw new IllegalArgumentException("preset " + name + ": task, teacher, student, options and rules must be given");
        for (long step : rules.accuracyAt())
            if (step > student.training().steps())
                throw new IllegalArgumentException("preset " + name + ": accuracy listed at step " + step
                        + ", after the student's budget of " + student.training().steps());
        if (checkpointEvery < 1) throw new IllegalArgumentException("preset " + name + ": checkpoint interval must be >= 1");
        teacher.model().checkTask(task);
        student.model().checkTask(task);
    }

    /** The presets' method settings start here: with the adapter they were measured with (distill's default has none). */
    private static DistillSettings.Builder extraction() {
        return DistillSettings.builder().adapter(true);
    }

    /** AdamW at {@code lr}, batch {@code batch}, {@code steps} steps, evaluated every {@code evalEvery} on 4096 samples. */
    private static TrainingSettings adamw(double lr, int batch, long steps, long evalEvery) {
        return TrainingSettings.builder().batch(batch).steps(steps).optimizer(OptimizerSettings.builder().lr(lr).build())
                .eval(EvalSettings.every(evalEvery)).build();
    }

    private static RunSpec mlp(Task task, TrainingSettings training, int... hidden) {
        return new RunSpec(MlpConfig.forTask(task, Activation.RELU, hidden), training);
    }

    /**
     * CPU, minutes: parity(40, 6), teacher 40->2000->2 fully trained for a fixed 6,000 steps (it passes 99% at about
     * 2,000; checkpoints every 100 steps), student 40->50->2, AdamW 3e-3, batch 128, 10,000 steps, fresh samples every
     * step, 4096 held-out samples, target 99%.
     */
    public static Preset quick() {
        Task task = new SparseParity(40, 6);
        DistillSettings distill = extraction().temperature(1).stageLength(StageLength.fixed(300)).speed(1)
                .build();
        return new Preset("quick", "parity(40, 6) on a CPU in minutes: teacher 40-2000-2 trained for 6,000 steps, "
                + "student 40-50-2, 10,000 steps", true, task, mlp(task, adamw(3e-3, 128, 6000, 500), 2000), 100,
                mlp(task, adamw(3e-3, 128, 10_000, 100), 50), distill, ComparisonRules.standard());
    }

    /**
     * {@link #quick()} with teachers that stop at their first evaluation (every 100 steps) reaching 99%, instead of
     * training on: a less converged teacher, to see how the methods depend on it.
     */
    public static Preset quickEarly() {
        Preset q = quick();
        TrainingSettings t = q.teacher().training();
        TrainingSettings early = t.toBuilder().eval(new EvalSettings(100, t.eval().size(), t.eval().target(), true)).build();
        return new Preset("quick-early", "quick with teachers stopped at their first evaluation reaching 99%", true,
                q.task(), new RunSpec(q.teacher().model(), early), q.checkpointEvery(), q.student(), q.distill(), ComparisonRules.standard());
    }

    /**
     * The published sizes, for a GPU or a long CPU run: parity(100, 6), teacher width 50,000, student width 1000.
     * Instead of the paper's SGD with batch 1 (millions of tiny steps), AdamW 1e-3 on batches of 256.
     */
    public static Preset paper() {
        Task task = new SparseParity(100, 6);
        TrainingSettings teacher = adamw(1e-3, 256, 200_000, 1000).toBuilder()
                .eval(EvalSettings.every(1000).stoppingAtTarget(true)).build();
        DistillSettings distill = extraction().temperature(1).stageLength(StageLength.fixed(2000)).speed(1)
                .build();
        return new Preset("paper", "parity(100, 6) at the published sizes: teacher 100-50000-2, student 100-1000-2 "
                + "(--student-hidden 100 for the paper's narrow student), 200,000 steps", true, task,
                mlp(task, teacher, 50_000), 1000, mlp(task, adamw(1e-3, 256, 200_000, 1000), 1000), distill, ComparisonRules.standard());
    }

    /** Seconds on a CPU, for tests: parity(10, 2), teacher 10-64-2, student 10-16-2, 60 steps. */
    public static Preset tiny() {
        Task task = new SparseParity(10, 2);
        TrainingSettings teacher = adamw(1e-2, 32, 120, 20).toBuilder()
                .eval(new EvalSettings(20, 256, 0.95, true)).build();
        TrainingSettings student = adamw(1e-2, 32, 60, 20).toBuilder()
                .eval(new EvalSettings(20, 256, 0.6, false)).build();
        DistillSettings distill = extraction().stageLength(StageLength.fixed(20)).standardizeSamples(256)
                .build();
        return new Preset("tiny", "test preset: parity(10, 2), 60 steps", false, task, mlp(task, teacher, 64), 20,
                mlp(task, student, 16), distill, ComparisonRules.standard());
    }

    /**
     * Transformers on parity as a sequence, n = 20, k = 3: teacher 2 blocks, d 128, 4 heads, trained 1,500 steps with
     * checkpoints every 100; student 2 blocks, d 32, 2 heads, 2,000 steps; both AdamW 3e-3, betas (0.9, 0.95), 100
     * warmup steps, clipping at 1, batch 128; extraction: a 300-step stage per block, then KD.
     */
    public static Preset tfParityQuick() {
        Task task = new ParitySequence(20, 3);
        DistillSettings distill = extraction().temperature(1).stageLength(StageLength.fixed(300)).speed(1)
                .build();
        return new Preset("tf-parity-quick", "parity-tf(20, 3) with transformers: teacher 2 x d128 (4 heads) trained "
                + "for 1,500 steps, student 2 x d32 (2 heads), 2,000 steps", true, task,
                transformer(task, transformerTraining(128, 1500, 100), 2, 128, 4), 100,
                transformer(task, transformerTraining(128, 2000, 100), 2, 32, 2), distill, ComparisonRules.standard());
    }

    /**
     * Masked LM on cfg3b's short strings (roots 16, 17, 18): teacher 2 blocks, d 128, 4 heads, AdamW 1e-3, 3,000 steps,
     * checkpoints every 100; student 2 blocks, d 32, 2 heads, AdamW 3e-3, 2,000 steps; both batch 64, betas (0.9, 0.95),
     * 100 warmup steps, clipping at 1; extraction: a 200-step stage per block, then KD with soft targets. One teacher
     * serves every seed; the target is the teacher's accuracy minus 2 points; students are evaluated every 50 steps on
     * 1,024 held-out sequences (the teacher too, so that both sides of the target use the same sequences).
     */
    public static Preset pcfgQuick() {
        Task task = new PcfgTask(Grammar.builtin("cfg3b"), "16", "17", "18");
        DistillSettings distill = extraction().temperature(1).stageLength(StageLength.fixed(200)).speed(1)
                .build();
        TrainingSettings teacher = withLr(transformerTraining(64, 3000, 500), 1e-3).toBuilder()
                .eval(new EvalSettings(500, 1024, 0.99, false)).build();
        TrainingSettings student = transformerTraining(64, 2000, 50).toBuilder()
                .eval(new EvalSettings(50, 1024, 0.99, false)).build();
        return new Preset("pcfg-quick", "pcfg(cfg3b, roots 16-18) masked LM: teacher 2 x d128 (4 heads) trained for "
                + "3,000 steps and shared by all seeds, student 2 x d32 (2 heads), 2,000 steps", true, task,
                transformer(task, teacher, 2, 128, 4), 100, transformer(task, student, 2, 32, 2), distill,
                new ComparisonRules(true, 0.02, List.of(250L, 500L, 1000L, 2000L)));
    }

    /**
     * The published PCFG sizes, for a GPU or a long CPU run: cfg3b from root 22; teacher 4 blocks, d 256, 32 heads;
     * student 4 blocks, d 64, 8 heads; batch 512, AdamW 5e-3, betas (0.9, 0.95), 6% warmup then cosine, clipping at 1,
     * 16,000 steps for both (checkpoints every 500); KD on the teacher's argmax (hard labels); extraction: a 1,000-step
     * stage per block. One teacher serves every seed; the target is the teacher's accuracy minus 2 points; accuracy
     * listed at 2k/4k/8k/16k steps.
     */
    public static Preset pcfgPaper() {
        Task task = new PcfgTask(Grammar.builtin("cfg3b"), "22");
        DistillSettings distill = extraction().hardLabels(true).stageLength(StageLength.fixed(1000))
                .speed(1).build();
        long steps = 16_000;
        OptimizerSettings o = OptimizerSettings.builder().lr(5e-3).betas(0.9, 0.95).schedule(ScheduleKind.COSINE)
                .warmup(steps * 6 / 100).clip(1).build();
        TrainingSettings t = adamw(5e-3, 512, steps, 500).toBuilder().optimizer(o)
                .eval(new EvalSettings(500, 4096, 0.99, false)).build();
        return new Preset("pcfg-paper", "pcfg(cfg3b, root 22) masked LM at the published sizes: teacher 4 x d256 "
                + "(32 heads), student 4 x d64 (8 heads), batch 512, 16,000 steps, hard-label KD; for a GPU", true, task,
                transformer(task, t, 4, 256, 32), 500, transformer(task, t, 4, 64, 8), distill,
                new ComparisonRules(true, 0.02, List.of(2000L, 4000L, 8000L, 16_000L)));
    }

    /** The text presets: they run on a prepared corpus, so they are built from its task ({@link #named(String, TextTask)}). */
    public static final List<String> TEXT_NAMES = List.of("text-quick", "text-paper", "text-tiny");

    /** Whether {@code name} is a text preset, needing a corpus. */
    public static boolean isText(String name) {
        return name != null && TEXT_NAMES.contains(name.strip());
    }

    /** The sequence length (--seq-len) a text preset prepares its task with when none is given. */
    public static int textSeqLen(String name) {
        return switch (name.strip()) {
            case "text-quick" -> TEXT_QUICK_SEQ_LEN;
            case "text-tiny" -> 16;
            default -> 128;
        };
    }

    static final int TEXT_QUICK_SEQ_LEN = 64;

    /** The vocabulary (--vocab-size) of the tokenizer a text preset trains when none is given. */
    public static int textVocabSize(String name) {
        return switch (name.strip()) {
            case "text-quick" -> 2048;
            case "text-tiny" -> 300;
            default -> 32_768;
        };
    }

    /** The text preset called {@code name} on {@code task}. */
    public static Preset named(String name, TextTask task) {
        return switch (name.strip()) {
            case "text-quick" -> textQuick(task);
            case "text-paper" -> textPaper(task);
            case "text-tiny" -> textTiny(task);
            default -> throw new IllegalArgumentException("'" + name + "' is not a text preset; expected one of "
                    + String.join(", ", TEXT_NAMES.stream().filter(n -> !n.equals("text-tiny")).toList()));
        };
    }

    /**
     * Masked LM on a text corpus, on two CPU cores in about 20 minutes a seed for a corpus of a few MB (sequences of 64
     * tokens, a vocabulary of 4,096): teacher 2 blocks, d 128, 4 heads, AdamW 1e-3, 2,000 steps, checkpoints every
     * 100, evaluated every 500; student 2 blocks, d 32, 2 heads, AdamW 3e-3, 1,500 steps, evaluated every 50; both
     * batch 32, betas (0.9, 0.95), 100 warmup steps, clipping at 1, 256 held-out sequences; extraction: a 200-step
     * stage per block, then KD. One teacher serves every seed; the target is the teacher's accuracy minus 5 points (a
     * student a quarter as wide does not come within 2 of it in this budget); accuracy listed at 250, 500, 1,000,
     * 1,500.
     */
    public static Preset textQuick(TextTask task) {
        DistillSettings distill = extraction().temperature(1).stageLength(StageLength.fixed(200)).speed(1)
                .build();
        TrainingSettings teacher = withLr(transformerTraining(32, 2000, 500), 1e-3).toBuilder()
                .eval(new EvalSettings(500, 256, 0.99, false)).build();
        TrainingSettings student = transformerTraining(32, 1500, 50).toBuilder()
                .eval(new EvalSettings(50, 256, 0.99, false)).build();
        return new Preset("text-quick", "masked LM on " + task.describe() + ": teacher 2 x d128 (4 heads) trained for "
                + "2,000 steps and shared by all seeds, student 2 x d32 (2 heads), 1,500 steps", true, task,
                transformer(task, teacher, 2, 128, 4), 100, transformer(task, student, 2, 32, 2), distill,
                new ComparisonRules(true, 0.05, List.of(250L, 500L, 1000L, 1500L)));
    }

    /**
     * BERT-base-like sizes, for a GPU: sequences of 128 tokens; teacher 12 blocks, d 768, 12 heads (BERT-base);
     * student 4 blocks, d 256, 4 heads (BERT-mini); batch 256, AdamW 1e-4, betas (0.9, 0.999), weight decay 0.01,
     * 10,000 warmup steps then cosine decay, clipping at 1; teacher 100,000 steps (checkpoints every 2,000), student
     * 50,000; both evaluated on 2,048 held-out sequences; KD with soft targets; extraction: a 2,000-step stage per
     * student block. One teacher serves every seed; target 5 points below it; accuracy listed at 5k, 10k, 25k, 50k.
     */
    public static Preset textPaper(TextTask task) {
        DistillSettings distill = extraction().temperature(1).stageLength(StageLength.fixed(2000)).speed(1)
                .build();
        TrainingSettings teacher = bertTraining(100_000, 5000);
        TrainingSettings student = bertTraining(50_000, 1000);
        return new Preset("text-paper", "masked LM on " + task.describe() + " at BERT-base's size: teacher 12 x d768 "
                + "(12 heads), 100,000 steps, student 4 x d256 (4 heads), 50,000 steps, batch 256; for a GPU", true, task,
                transformer(task, teacher, 12, 768, 12), 2000, transformer(task, student, 4, 256, 4), distill,
                new ComparisonRules(true, 0.05, List.of(5000L, 10_000L, 25_000L, 50_000L)));
    }

    /** BERT's optimizer (AdamW 1e-4, betas (0.9, 0.999), weight decay 0.01, 10,000 warmup steps), cosine decay, batch 256. */
    private static TrainingSettings bertTraining(long steps, long evalEvery) {
        OptimizerSettings o = OptimizerSettings.builder().lr(1e-4).betas(0.9, 0.999).weightDecay(0.01)
                .schedule(ScheduleKind.COSINE).warmup(Math.min(10_000, steps / 10)).clip(1).build();
        return adamw(1e-4, 256, steps, evalEvery).toBuilder().optimizer(o)
                .eval(new EvalSettings(evalEvery, 2048, 0.99, false)).build();
    }

    /** Seconds on a CPU, for tests: sequences of 16 tokens, teacher 1 x d16, student 1 x d8, 24 steps. */
    public static Preset textTiny(TextTask task) {
        TrainingSettings teacher = transformerTraining(8, 40, 10).toBuilder().eval(new EvalSettings(10, 32, 0.99, false))
                .build();
        TrainingSettings student = transformerTraining(8, 24, 8).toBuilder().eval(new EvalSettings(8, 32, 0.99, false))
                .build();
        DistillSettings distill = extraction().stageLength(StageLength.fixed(4)).standardizeSamples(32)
                .build();
        return new Preset("text-tiny", "test preset: masked LM on " + task.describe() + ", 24 steps", false, task,
                transformer(task, teacher, 1, 16, 2), 10, transformer(task, student, 1, 8, 2), distill,
                new ComparisonRules(true, 0.02, List.of(8L, 16L, 24L)));
    }

    /** The same settings at learning rate {@code lr}. */
    private static TrainingSettings withLr(TrainingSettings t, double lr) {
        return t.toBuilder().optimizer(t.optimizer().toBuilder().lr(lr).build()).build();
    }

    /** Seconds on a CPU, for tests: parity-tf(6, 2), teacher 1 x d16, student 1 x d8, 24 steps. */
    public static Preset tfTiny() {
        Task task = new ParitySequence(6, 2);
        TrainingSettings student = transformerTraining(16, 24, 8).toBuilder().eval(new EvalSettings(8, 64, 0.99, false))
                .build();
        DistillSettings distill = extraction().stageLength(StageLength.fixed(4)).standardizeSamples(64)
                .build();
        return new Preset("tf-tiny", "test preset: parity-tf(6, 2), 24 steps", false, task,
                transformer(task, transformerTraining(16, 40, 10), 1, 16, 2), 10,
                transformer(task, student, 1, 8, 2), distill, ComparisonRules.standard());
    }

    /**
     * Seconds on a CPU, for tests: masked LM on cfg3b from roots 10-12 (6-9 terminals), teacher 1 x d16, student 1 x d8,
     * 24 steps; one shared teacher, target 2 points below it, accuracy listed at steps 8, 16 and 24.
     */
    public static Preset pcfgTiny() {
        Task task = new PcfgTask(Grammar.builtin("cfg3b"), "10", "11", "12");
        TrainingSettings teacher = transformerTraining(16, 40, 10).toBuilder().eval(new EvalSettings(10, 64, 0.99, false))
                .build();
        TrainingSettings student = transformerTraining(16, 24, 8).toBuilder().eval(new EvalSettings(8, 64, 0.99, false))
                .build();
        DistillSettings distill = extraction().stageLength(StageLength.fixed(4)).standardizeSamples(64)
                .build();
        return new Preset("pcfg-tiny", "test preset: pcfg(cfg3b, roots 10-12), 24 steps", false, task,
                transformer(task, teacher, 1, 16, 2), 10, transformer(task, student, 1, 8, 2), distill,
                new ComparisonRules(true, 0.02, List.of(8L, 16L, 24L)));
    }

    /** AdamW 3e-3 with betas (0.9, 0.95), 100 warmup steps (a tenth of shorter runs) and clipping at 1. */
    private static TrainingSettings transformerTraining(int batch, long steps, long evalEvery) {
        OptimizerSettings o = OptimizerSettings.builder().lr(3e-3).betas(0.9, 0.95).warmup(Math.min(100, steps / 10))
                .clip(1).build();
        return adamw(3e-3, batch, steps, evalEvery).toBuilder().optimizer(o).build();
    }

    private static RunSpec transformer(Task task, TrainingSettings training, int layers, int dModel, int heads) {
        return new RunSpec(TransformerConfig.forTask(task, layers, dModel, heads, 4, TransformerConfig.Norm.PRE),
                training);
    }

    private static List<Preset> all() {
        return List.of(quick(), quickEarly(), paper(), tfParityQuick(), pcfgQuick(), pcfgPaper(), tiny(), tfTiny(), pcfgTiny());
    }

    /** The names users can choose (the text presets last). */
    public static List<String> names() {
        List<String> names = new java.util.ArrayList<>(all().stream().filter(Preset::listed).map(Preset::name).toList());
        names.addAll(TEXT_NAMES.stream().filter(n -> !n.equals("text-tiny")).toList());
        return names;
    }

    /**
     * The preset called {@code name}; an error listing the valid names otherwise, or saying that a text preset needs
     * its corpus ({@link #named(String, TextTask)}).
     */
    public static Preset named(String name) {
        String w = name == null ? "" : name.strip();
        if (isText(w))
            throw new IllegalArgumentException("preset " + w + " runs on a text corpus; give it with --corpus PATH");
        return all().stream().filter(p -> p.name.equals(w)).findFirst().orElseThrow(() ->
                new IllegalArgumentException("unknown preset '" + name + "'; expected one of " + String.join(", ", names())));
    }

    /** This preset with another student shape (e.g. the paper's width 100). */
    public Preset withStudentHidden(int... hidden) {
        return withStudent(new RunSpec(mlpLike(student, task, hidden), student.training()));
    }

    /** This preset with another teacher shape. */
    public Preset withTeacherHidden(int... hidden) {
        return withTeacher(new RunSpec(mlpLike(teacher, task, hidden), teacher.training()));
    }

    /** This preset on another task, its models keeping their hidden widths and activation. */
    public Preset withTask(Task t) {
        return new Preset(name, description, listed, t, new RunSpec(mlpLike(teacher, t, hiddenOf(teacher)),
                teacher.training()), checkpointEvery, new RunSpec(mlpLike(student, t, hiddenOf(student)),
                student.training()), distill, rules);
    }

    private static int[] hiddenOf(RunSpec spec) {
        if (spec.model() instanceof MlpConfig m) return m.hidden();
        throw new IllegalArgumentException(spec.model().describe() + " cannot be rebuilt for another task here");
    }

    /** An MLP for {@code t} with these hidden widths and the activation of {@code spec}'s MLP. */
    private static MlpConfig mlpLike(RunSpec spec, Task t, int[] hidden) {
        Activation act = spec.model() instanceof MlpConfig m ? m.activation() : Activation.RELU;
        return MlpConfig.forTask(t, act, hidden);
    }

    /** This preset with another student run; a shorter budget also cuts the accuracy-at-steps table at it. */
    public Preset withStudent(RunSpec s) {
        long budget = s.training().steps();
        ComparisonRules r = rules.accuracyAt().stream().allMatch(step -> step <= budget) ? rules
                : new ComparisonRules(rules.sharedTeacher(), rules.targetBelowTeacher(),
                        rules.accuracyAt().stream().filter(step -> step <= budget).toList());
        return new Preset(name, description, listed, task, teacher, checkpointEvery, s, distill, r);
    }

    public Preset withTeacher(RunSpec t) {
        return new Preset(name, description, listed, task, t, checkpointEvery, student, distill, rules);
    }

    public Preset withDistill(DistillSettings d) {
        return new Preset(name, description, listed, task, teacher, checkpointEvery, student, d, rules);
    }

    public Preset withRules(ComparisonRules r) {
        return new Preset(name, description, listed, task, teacher, checkpointEvery, student, distill, r);
    }

    /** The method's settings: the preset's options under {@code method}. */
    public DistillSettings settingsFor(Method method) {
        return distill.forMethod(method);
    }

    /** Everything that defines the experiment except the seeds, as compare-settings.json holds it. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("preset", name);
        m.put("task", task.toMap());
        Map<String, Object> t = teacher.toMap(false);
        t.put("checkpoint_every", checkpointEvery);
        m.put("teacher", t);
        m.put("student", student.toMap(false));
        Map<String, Object> methods = new LinkedHashMap<>();
        for (Method method : Method.values()) methods.put(method.id(), settingsFor(method).toMap());
        m.put("method_settings", methods);
        if (!rules.equals(ComparisonRules.standard())) m.put("rules", rules.toMap());
        return m;
    }
}
