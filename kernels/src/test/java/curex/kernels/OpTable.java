// The whole kernel test table: every Backend op at awkward and large shapes, as the parity suites run it.
package curex.kernels;

import java.util.List;
import java.util.stream.Stream;

/**
 * Entries of {@link ElementwiseCases}, {@link RowCases}, {@link LayoutCases}, {@link ProductCases} and
 * {@link AttentionCases}.
 */
public final class OpTable {
    private OpTable() {
    }

    public static List<OpCase> all() {
        return Stream.of(ElementwiseCases.all(), RowCases.all(), LayoutCases.all(), ProductCases.all(),
                        AttentionCases.all())
                .flatMap(List::stream).toList();
    }
}
