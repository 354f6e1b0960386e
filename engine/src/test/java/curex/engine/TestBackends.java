// The backend engine tests run on, chosen in one place: -Dcurex.test.backend=NAME (default vector).
package curex.engine;

import curex.kernels.Backend;
import curex.kernels.BackendSettings;
import curex.kernels.Backends;

/**
 * Engine tests take their backend from here, so that the same tests run on another backend (a GPU module names its
 * own): {@code mvn test -Dcurex.test.backend=reference}. Tests that compare against the reference oracle create a
 * {@link curex.kernels.ReferenceBackend} themselves.
 */
public final class TestBackends {
    public static final String PROPERTY = "curex.test.backend";

    private TestBackends() {
    }

    /** The name of the backend under test. */
    public static String name() {
        return System.getProperty(PROPERTY, "vector");
    }

    /** A new backend under test with {@code threads} threads; the caller closes it. */
    public static Backend open(int threads) {
        return Backends.open(name(), new BackendSettings(threads));
    }

    /** A new backend under test with two threads. */
    public static Backend open() {
        return open(2);
    }
}
