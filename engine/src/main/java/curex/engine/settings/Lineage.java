// Which streams of a seed a run draws from, so that a teacher and its students never share initialisation or data.
package curex.engine.settings;

import curex.kernels.CounterRng;

/**
 * A run's seed splits into independent streams: the model's initialisation and the task's data (training batches and
 * held-out set). A teacher and a student given the same seed draw from different streams, so a student never starts
 * from the teacher's first neurons nor trains on the teacher's batches. Every student of a seed (every method) draws
 * from the same student streams: same initialisation, same batches, same held-out set.
 */
public enum Lineage {
    /** What `curex train` and a comparison's teachers train. */
    TEACHER(0x7465616368657231L),
    /** What `curex distill` and every method of a comparison train. */
    STUDENT(0x73747564656E7431L);

    private static final long INIT = 0x696E69745F763031L;
    private static final long DATA = 0x646174615F763031L;

    private final long tag;

    Lineage(long tag) {
        this.tag = tag;
    }

    /** The seed of the model's initialisation. */
    public long initSeed(long seed) {
        return CounterRng.bits(CounterRng.bits(seed, tag), INIT);
    }

    /** The seed of the task's streams (training batches, held-out set). */
    public long dataSeed(long seed) {
        return CounterRng.bits(CounterRng.bits(seed, tag), DATA);
    }
}
