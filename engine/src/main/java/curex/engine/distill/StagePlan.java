// Plans curriculum extraction's projection stages from the settings and the two models' shapes, validating them.
package curex.engine.distill;

import curex.engine.model.ModelConfig;
import curex.engine.settings.SettingException;
import curex.engine.settings.SettingException.Setting;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Layers are counted over hidden layers: a student with HS hidden layers and a teacher with HT. Stage j maps to
 * teacher layer {@code t(j) = round(j * HT / HS)} clamped to 1..HT, unless the settings give a layer map (one entry
 * per student hidden layer, or one per selected stage). All projection stages together must leave at least one
 * step of the budget for the final KD stage.
 */
public final class StagePlan {
    private StagePlan() {
    }

    /**
     * Stage j: student hidden layer {@code studentLayer} (width dS) learns the projection of teacher hidden layer
     * {@code teacherLayer} (width dT) to {@code projectionDim} (dP) dimensions, for at most {@code maxSteps} steps.
     */
    public record Spec(int studentLayer, int teacherLayer, int studentWidth, int teacherWidth, int projectionDim,
                       StageLength length, long maxSteps) {

        /** "project-j". */
        public String name() {
            return "project-" + studentLayer;
        }
    }

    /** The default teacher layer for student hidden layer j. */
    public static int defaultTeacherLayer(int j, int studentHidden, int teacherHidden) {
        long t = Math.round((double) j * teacherHidden / studentHidden);
        return (int) Math.max(1, Math.min(teacherHidden, t));
    }

    /** The projection stages, in order, for a budget of {@code budget} steps. */
    public static List<Spec> extraction(DistillSettings s, ModelConfig student, ModelConfig teacher, long budget) {
        int hs = student.depth(), ht = teacher.depth();
        if (hs < 1) throw new SettingException("extract needs a student with at least one hidden layer; "
                + student.describe() + " has none", Setting.HIDDEN, Setting.LAYERS);
        if (ht < 1) throw new IllegalArgumentException("extract needs a teacher with at least one hidden layer; "
                + teacher.describe() + " has none");
        int[] stages = s.stages();
        if (stages.length == 0) {
            stages = new int[hs];
            for (int j = 1; j <= hs; j++) stages[j - 1] = j;
        }
        for (int j : stages)
            if (j > hs) throw new SettingException("stage " + j + " is not a student hidden layer: "
                    + student.describe() + " has hidden layers 1.." + hs, Setting.STAGES);
        int[] map = s.layerMap();
        if (map.length != 0 && map.length != hs && map.length != stages.length)
            throw new SettingException("layer map " + Arrays.toString(map) + " must give one teacher layer per "
                    + "student hidden layer (" + hs + ") or per stage (" + stages.length + ")", Setting.LAYER_MAP);
        List<Spec> out = new ArrayList<>();
        long total = 0;
        for (int i = 0; i < stages.length; i++) {
            int j = stages[i];
            int t = map.length == 0 ? defaultTeacherLayer(j, hs, ht) : map.length == hs ? map[j - 1] : map[i];
            if (t > ht) throw new SettingException("layer map sends student layer " + j + " to teacher layer " + t
                    + ", but " + teacher.describe() + " has hidden layers 1.." + ht, Setting.LAYER_MAP);
            int dS = student.width(j), dT = teacher.width(t);
            int dP = s.projectionDim() == 0 ? dS : s.projectionDim();
            if (!s.adapter() && dP != dS)
                throw new SettingException("without an adapter (--adapter adds one) the projection dimension must "
                        + "equal the student layer's width: stage " + j + " has dS = " + dS + " but the projection dimension is " + dP,
                        Setting.ADAPTER, Setting.PROJECTION_DIM);
            if (s.projection() == Projection.Kind.ORTHOGONAL && dP > dT)
                throw new SettingException("orthogonal projection rows need dP <= dT: stage " + j
                        + " projects teacher layer " + t + " (width " + dT + ") to " + dP + " dimensions", Setting.PROJECTION);
            long steps = s.stageLength().maxStepsFor(budget);
            total += steps;
            out.add(new Spec(j, t, dS, dT, dP, s.stageLength(), steps));
        }
        if (total >= budget)
            throw new SettingException("the " + out.size() + " projection stage(s) take up to " + total
                    + " steps (stage length " + s.stageLength() + ") but the budget is " + budget
                    + " steps, leaving nothing for the final KD stage; shorten the stages or raise the budget",
                    Setting.STAGE_LENGTH, Setting.STEPS);
        return out;
    }
}
