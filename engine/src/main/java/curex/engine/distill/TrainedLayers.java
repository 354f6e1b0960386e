// Which student layers a projection stage j trains.
package curex.engine.distill;

/** {@code prefix}: layers 1..j (default). {@code current}: layer j only. */
public enum TrainedLayers {
    PREFIX, CURRENT;

    public static TrainedLayers parse(String word) {
        return Choice.parse(TrainedLayers.class, "trained layers", word);
    }

    public String id() {
        return Choice.id(this);
    }
}
