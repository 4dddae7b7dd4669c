package io.sensorcast.ingest;

/** What {@link ReadingParser} made of one record: a usable reading or a rejection with a reason. */
public sealed interface ParseResult {

    /**
     * A valid reading. {@code keyIsSensor} tells whether the record's key already equals the sensor id, i.e. whether
     * the record is on the partition its sensor's state lives on (otherwise ingest re-partitions it by sensor).
     */
    record Parsed(String sensor, long ts, double value, boolean keyIsSensor) implements ParseResult {
    }

    /** An unusable record: a stable {@link RejectReason} and a human-readable detail for {@code dlq.detail}. */
    record Rejected(RejectReason reason, String detail) implements ParseResult {
    }
}
