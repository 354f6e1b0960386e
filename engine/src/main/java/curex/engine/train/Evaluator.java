// Measures the model on held-out data; runs without gradient and outside the training FLOP count.
package curex.engine.train;

/** Evaluates the current model. Implementations use a no-grad tape and a context of their own. */
@FunctionalInterface
public interface Evaluator {
    EvalResult evaluate();
}
