package io.sensorcast.ingest.internals;

import io.sensorcast.ingest.RejectReason;
import io.sensorcast.ingest.SensorSequence;

/** What flows between the ingest processors. */
public sealed interface Ingested {

    /**
     * A valid reading with where it came from, so a later stage can still dead-letter it with the original bytes.
     * {@code keyed}: the source record's key already was the sensor id (no re-partitioning needed).
     */
    record Accepted(String sensor, long ts, double value, long arrivedAt, boolean keyed,
                    String sourceTopic, int sourcePartition, long sourceOffset,
                    byte[] originalKey, byte[] originalValue) implements Ingested {
    }

    /** A record for the dead-letter topic. */
    record DeadLetter(RejectReason reason, String detail, String stage,
                      String sourceTopic, int sourcePartition, long sourceOffset,
                      byte[] originalKey, byte[] originalValue) implements Ingested {
    }

    /** A completed window. */
    record Emitted(SensorSequence sequence) implements Ingested {
    }
}
