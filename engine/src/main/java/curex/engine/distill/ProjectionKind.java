// The distributions of the fixed random projection P of a teacher layer.
package curex.engine.distill;

/**
 * Entries of P (dP x dT): {@code gaussian} N(0, 1/dP); {@code rademacher} +-1/sqrt(dP) with equal chance;
 * {@code sparse} (Achlioptas) sqrt(3/dP) times +1 (p 1/6), 0 (p 2/3), -1 (p 1/6); {@code orthogonal}: orthonormal
 * rows (P P^T = I, needs dP <= dT). The first three have entry variance 1/dP; after standardization the scale does not
 * matter.
 */
public enum ProjectionKind {
    GAUSSIAN, RADEMACHER, SPARSE, ORTHOGONAL;

    public static ProjectionKind parse(String word) {
        return Choice.parse(ProjectionKind.class, "projection kind", word);
    }

    public String id() {
        return Choice.id(this);
    }
}
