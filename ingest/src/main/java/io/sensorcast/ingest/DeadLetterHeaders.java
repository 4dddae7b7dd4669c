package io.sensorcast.ingest;

/**
 * Header names on {@code sensor-readings.dlq} records (the shape of Connect's {@code __connect.errors.*}). Values are
 * UTF-8 strings; partition and offset are decimal. The key and value are the original bytes, unchanged, and the
 * original headers are kept.
 */
public final class DeadLetterHeaders {
    /** A {@link RejectReason#code()}, e.g. {@code malformed_json}. */
    public static final String REASON = "dlq.reason";
    /** What exactly was wrong, for people. */
    public static final String DETAIL = "dlq.detail";
    public static final String SOURCE_TOPIC = "dlq.source.topic";
    public static final String SOURCE_PARTITION = "dlq.source.partition";
    public static final String SOURCE_OFFSET = "dlq.source.offset";
    /** {@code parse} or {@code resample}. */
    public static final String STAGE = "dlq.stage";

    public static final String STAGE_PARSE = "parse";
    public static final String STAGE_RESAMPLE = "resample";

    private DeadLetterHeaders() {
    }
}
