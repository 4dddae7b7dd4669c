/**
 * Implementation of the ingest topology: the processors, the per-sensor state and its binary form, the running
 * statistics and the re-partition serde. Not API: use {@link io.sensorcast.ingest.IngestTopology},
 * {@link io.sensorcast.ingest.IngestService} and {@link io.sensorcast.ingest.IngestConfig}.
 */
package io.sensorcast.ingest.internals;
