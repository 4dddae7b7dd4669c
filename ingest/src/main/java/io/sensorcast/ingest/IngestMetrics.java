package io.sensorcast.ingest;

import java.util.EnumMap;
import java.util.Map;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The ingest meters (Prometheus names in brackets). Every {@code reason} series is registered up front at 0, so a
 * rate alert has a series before the first dead letter.
 * <ul>
 * <li>{@code sensorcast.ingest.readings} [{@code sensorcast_ingest_readings_total}]: records read from
 * {@code sensor-readings}, good or bad</li>
 * <li>{@code sensorcast.ingest.dead.letters{reason}} [{@code sensorcast_ingest_dead_letters_total}]</li>
 * <li>{@code sensorcast.ingest.sequences} [{@code sensorcast_ingest_sequences_total}]</li>
 * <li>{@code sensorcast.ingest.duplicates} [{@code sensorcast_ingest_duplicates_total}]: readings ignored because
 * the sensor already had one with the same {@code ts}</li>
 * </ul>
 * Under exactly-once a transaction that aborts is reprocessed, so counters can run slightly ahead of the topics.
 */
public final class IngestMetrics {
    private final Counter readings;
    private final Counter sequences;
    private final Counter duplicates;
    private final Map<RejectReason, Counter> deadLetters = new EnumMap<>(RejectReason.class);

    public IngestMetrics(MeterRegistry registry) {
        readings = Counter.builder("sensorcast.ingest.readings")
                .description("Records read from sensor-readings, including those sent to the dead-letter topic")
                .register(registry);
        sequences = Counter.builder("sensorcast.ingest.sequences")
                .description("Normalised windows written to sensor-sequences")
                .register(registry);
        duplicates = Counter.builder("sensorcast.ingest.duplicates")
                .description("Readings ignored because the sensor already had a reading with the same timestamp")
                .register(registry);
        for (RejectReason r : RejectReason.values()) {
            deadLetters.put(r, Counter.builder("sensorcast.ingest.dead.letters")
                    .description("Records sent to sensor-readings.dlq, by reason")
                    .tag("reason", r.code())
                    .register(registry));
        }
    }

    public void reading() {
        readings.increment();
    }

    public void sequence() {
        sequences.increment();
    }

    public void duplicate() {
        duplicates.increment();
    }

    public void deadLetter(RejectReason reason) {
        deadLetters.get(reason).increment();
    }
}
