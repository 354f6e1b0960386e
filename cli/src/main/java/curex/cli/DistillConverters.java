// Converters for `curex distill` option values: stage lengths and accuracies, with usage errors that say why.
package curex.cli;

import curex.engine.distill.StageLength;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Bad values become usage errors (exit 2) naming what was expected. */
final class DistillConverters {
    private DistillConverters() {
    }

    /** 300 (steps), 10% or 0.1 (of the budget), adaptive, adaptive:PATIENCE[:MAX_STEPS[:CHECK_EVERY]]. */
    static final class Length implements ITypeConverter<StageLength> {
        @Override
        public StageLength convert(String value) {
            try {
                return StageLength.parse(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    /** An accuracy in (0, 1]. */
    static final class Accuracy implements ITypeConverter<Double> {
        @Override
        public Double convert(String value) {
            try {
                double v = Double.parseDouble(value.strip());
                if (v > 0 && v <= 1) return v;
            } catch (NumberFormatException e) {
                // reported below
            }
            throw new TypeConversionException("expected an accuracy in (0, 1], e.g. 0.99, got '" + value + "'");
        }
    }

    /** A number in [0, 1] (a mixing weight). */
    static final class Weight implements ITypeConverter<Double> {
        @Override
        public Double convert(String value) {
            try {
                double v = Double.parseDouble(value.strip());
                if (v >= 0 && v <= 1) return v;
            } catch (NumberFormatException e) {
                // reported below
            }
            throw new TypeConversionException("expected a number in [0, 1], got '" + value + "'");
        }
    }
}
