// The named choices of command-line options (lower-case, as typed).
package curex.cli;

/** Enumerations picocli matches option values against; {@code ${COMPLETION-CANDIDATES}} lists them in help. */
final class Choices {
    private Choices() {
    }

    enum Task { parity }

    enum Activation { relu, gelu }

    enum Optimizer { sgd, adamw }

    enum Schedule { constant, cosine }
}
