package io.sensorcast.ingest;

import java.util.Locale;

/**
 * Why a reading went to {@code sensor-readings.dlq}. The {@link #code()} is stable: it is the {@code dlq.reason}
 * header and the {@code reason} tag of {@code sensorcast_ingest_dead_letters_total}.
 *
 * <table>
 * <caption>Reasons</caption>
 * <tr><th>code</th><th>stage</th><th>example</th></tr>
 * <tr><td>{@code malformed_json}</td><td>parse</td><td>{@code {"ts":1,} }, {@code 42}, {@code {...} trailing}, a duplicated field, an empty value</td></tr>
 * <tr><td>{@code invalid_utf8}</td><td>parse</td><td>a value or key that is not valid UTF-8</td></tr>
 * <tr><td>{@code missing_field}</td><td>parse</td><td>no {@code ts}, no {@code value}, or no sensor id in either the key or {@code sensor}</td></tr>
 * <tr><td>{@code wrong_type}</td><td>parse</td><td>{@code "value":"12,5"}, {@code "value":[[4.0]]}, {@code "ts":"yesterday"}, {@code "ts":1.5}</td></tr>
 * <tr><td>{@code non_finite_value}</td><td>parse</td><td>{@code "value":NaN}, {@code "value":-Infinity}</td></tr>
 * <tr><td>{@code value_out_of_range}</td><td>parse</td><td>{@code "value":1e999} (overflows a double) or beyond {@code maxAbsValue}</td></tr>
 * <tr><td>{@code timestamp_out_of_range}</td><td>parse</td><td>{@code "ts":"9999-01-01T00:00:00Z"}, before {@code minTimestamp}</td></tr>
 * <tr><td>{@code invalid_sensor_id}</td><td>parse</td><td>empty, longer than {@code maxSensorIdLength}, or with control characters</td></tr>
 * <tr><td>{@code late}</td><td>resample</td><td>a reading whose step closed already (its end + grace is behind the sensor's stream time)</td></tr>
 * </table>
 */
public enum RejectReason {
    MALFORMED_JSON,
    INVALID_UTF8,
    MISSING_FIELD,
    WRONG_TYPE,
    NON_FINITE_VALUE,
    VALUE_OUT_OF_RANGE,
    TIMESTAMP_OUT_OF_RANGE,
    INVALID_SENSOR_ID,
    LATE;

    private final String code = name().toLowerCase(Locale.ROOT);

    /** The stable wire code, e.g. {@code malformed_json}. */
    public String code() {
        return code;
    }
}
