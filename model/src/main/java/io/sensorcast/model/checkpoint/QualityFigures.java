package io.sensorcast.model.checkpoint;

/** Conventional keys of an envelope's quality figures. Others may be added freely. */
public final class QualityFigures {
    /** The trainer's recent (prequential) loss, in its own units. */
    public static final String LOSS = "loss";
    /** Prequential MAE (test-then-train), in the sensors' units. */
    public static final String PREQUENTIAL_MAE = "prequentialMae";
    /** The persistence forecast's MAE on the same sequences, for comparison. */
    public static final String PERSISTENCE_MAE = "persistenceMae";

    private QualityFigures() {
    }
}
