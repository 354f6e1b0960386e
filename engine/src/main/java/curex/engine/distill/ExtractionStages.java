// Builds curriculum extraction's stages: per projection stage a projection, its standardized target, an adapter; then KD.
package curex.engine.distill;

import curex.engine.data.Batch;
import curex.engine.data.Task;
import curex.engine.model.Model;
import curex.engine.nn.ParamRange;
import curex.engine.optim.Optimizer;
import curex.engine.settings.OptimizerSettings;
import curex.engine.settings.TrainingSettings;
import curex.engine.tensor.Tensor;
import curex.engine.train.ParamGroup;
import curex.engine.train.TaskObjective;
import curex.kernels.Backend;
import curex.kernels.CounterRng;

import java.util.ArrayList;
import java.util.List;

/**
 * For each planned stage j: P[j] from the run's seed (stream {@link #PROJECTION_STREAM}, counter j), statistics of
 * P[j] hT[t(j)] on {@code standardizeSamples} inputs from a stream of the seed disjoint from training and held-out
 * data (teacher FLOPs, spent before step 0), the folded target, an adapter (seeded per stage) with its own
 * optimizer, and the student range it trains (layers 1..j, or layer j only). The last stage is KD on the outputs
 * over all student parameters.
 */
final class ExtractionStages {
    static final long PROJECTION_STREAM = 0x70726F6A5F763031L;
    static final long ADAPTER_STREAM = 0x61646170745F7631L;
    static final long STANDARDIZE_STREAM = 0x7374645F73657431L;

    private ExtractionStages() {
    }

    /** One flag per token of {@code batch}, false at padding; null when the task never pads. */
    private static boolean[] realTokens(Task task, Batch batch) {
        if (task.input() != Task.Input.TOKENS || task.padToken() < 0) return null;
        boolean[] real = new boolean[batch.inputCount()];
        for (int i = 0; i < real.length; i++) real[i] = batch.tokens()[i] != task.padToken();
        return real;
    }

    static List<Stage> build(DistillSettings s, TrainingSettings tr, Task task, TeacherModel teacher, Model student,
                             Optimizer studentOpt, TaskObjective data, TeacherOutputs shared) {
        List<StagePlan.Spec> plan = StagePlan.extraction(s, student.config(), teacher.config(), tr.steps());
        Backend be = student.parameters().backend();
        OptimizerSettings adapterOptimizer = tr.optimizer();
        List<Stage> stages = new ArrayList<>();
        List<AutoCloseable> built = new ArrayList<>();
        try {
            Batch est = task.heldOut(standardizeSeed(tr.seed()), s.standardizeSamples());
            try (Tensor inputs = TaskObjective.inputTensor(be, est)) {
                for (StagePlan.Spec spec : plan) {
                    int j = spec.studentLayer();
                    Projection p = Projection.create(s.projection(), spec.projectionDim(), spec.teacherWidth(),
                            CounterRng.bits(tr.seed() ^ PROJECTION_STREAM, j));
                    int chunk = StageTarget.chunkSamples(teacher, spec.teacherLayer(), spec.projectionDim());
                    StageTarget target = StageTarget.estimate(teacher, spec.teacherLayer(), p, inputs, realTokens(task, est),
                            chunk);
                    built.add(target);
                    Adapter adapter = null;
                    if (s.adapter()) {
                        adapter = new Adapter(be, spec.studentWidth(), spec.projectionDim(),
                                CounterRng.bits(tr.seed() ^ ADAPTER_STREAM, j),
                                params -> adapterOptimizer.kind().create(params, adapterOptimizer));
                        built.add(adapter);
                    }
                    ParamRange range = s.trainedLayers() == DistillSettings.TrainedLayers.PREFIX ? student.layersRange(j)
                            : new ParamRange(student.layersRange(j - 1).to(), student.layersRange(j).to());
                    List<ParamGroup> groups = adapter == null ? List.of(new ParamGroup(studentOpt, range))
                            : List.of(new ParamGroup(studentOpt, range), ParamGroup.all(adapter.optimizer()));
                    ProjectionObjective objective = new ProjectionObjective(data, student, teacher, spec, target,
                            adapter == null ? null : adapter.linear(), s.stageLoss());
                    List<AutoCloseable> resources = adapter == null ? List.of(target) : List.of(target, adapter);
                    String name = spec.name();
                    stages.add(new Stage(step -> name, objective, groups, Stage.End.of(spec.length(), spec.maxSteps(), tr.steps()),
                            adapter, resources));
                }
            }
        } catch (RuntimeException e) {
            for (AutoCloseable c : built) {
                try {
                    c.close();
                } catch (Exception suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            throw e;
        }
        stages.add(Stage.of("kd", new KdObjective(data, student, TeacherSource.fixed(teacher), s, shared),
                List.of(ParamGroup.all(studentOpt))));
        return stages;
    }

    /** The seed of the standardization inputs: a stream of the run's seed apart from training and held-out data. */
    static long standardizeSeed(long seed) {
        return CounterRng.bits(seed, STANDARDIZE_STREAM);
    }
}
