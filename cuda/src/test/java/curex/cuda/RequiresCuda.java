// JUnit condition: runs a test class only where the cuda backend can open, else skips it with the provider's reason.
package curex.cuda;

import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/** Use with {@code @ExtendWith(RequiresCuda.class)}; the skip message says what is missing (driver, device, libraries). */
public final class RequiresCuda implements ExecutionCondition {
    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        return new CudaBackendProvider().unavailableReason()
                .map(why -> ConditionEvaluationResult.disabled("no usable CUDA here: " + why))
                .orElse(ConditionEvaluationResult.enabled("CUDA is available"));
    }
}
