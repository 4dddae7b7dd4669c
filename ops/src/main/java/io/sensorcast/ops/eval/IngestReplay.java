package io.sensorcast.ops.eval;

import java.util.List;

import io.sensorcast.ingest.IngestConfig;
import io.sensorcast.ingest.Reading;
import io.sensorcast.ingest.SensorSequence;

/**
 * Readings through the ingest topology ({@link io.sensorcast.ingest.IngestTopology#build}): the same parsing,
 * resampling, gap filling, running normalisation and windowing as the live service. Readings go in as the JSON of
 * {@code sensor-readings}, in the given order; the result is every {@code sensor-sequences} record in order, and the
 * number of dead letters. Implementations differ only in transport: {@link InProcessIngestReplay} (no broker) and
 * {@link KafkaIngestReplay} (a Kafka Streams application on a cluster).
 */
public interface IngestReplay {
    /** What came out of ingest. */
    record Result(List<SensorSequence> sequences, long deadLetters) {
    }

    /** Replays {@code readings} through a fresh ingest instance configured by {@code config} and waits for its output. */
    Result run(List<Reading> readings, IngestConfig config);
}
