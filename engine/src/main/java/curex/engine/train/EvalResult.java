// A held-out evaluation: accuracy and mean loss.
package curex.engine.train;

/** Accuracy in [0, 1] and mean loss (NaN when not measured) over the held-out set. */
public record EvalResult(double accuracy, double loss) {
}
