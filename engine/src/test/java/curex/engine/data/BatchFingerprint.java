// A batch's inputs and labels as one number, so that tests can pin a task's draws across changes to its code.
package curex.engine.data;

import java.util.Arrays;

final class BatchFingerprint {
    private BatchFingerprint() {
    }

    /** Arrays.hashCode (a fixed formula) of the inputs and of the labels, combined. */
    static long of(Batch b) {
        return 31L * Arrays.hashCode(Arrays.copyOf(b.tokens(), b.inputCount()))
                + Arrays.hashCode(Arrays.copyOf(b.labels(), b.labelCount()));
    }
}
