// How a projection stage compares the adapted student layer with the standardized teacher projection.
package curex.engine.distill;

/** {@code mse}: mean over batch of |a - z|^2 / dP. {@code cosine}: mean over batch of 1 - cos(a, z). */
public enum StageLoss {
    MSE, COSINE;

    public static StageLoss parse(String word) {
        return Choice.parse(StageLoss.class, "stage loss", word);
    }

    public String id() {
        return Choice.id(this);
    }
}
