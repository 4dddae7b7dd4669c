package io.sensorcast.ingest.internals;

import io.sensorcast.ingest.DeadLetterHeaders;
import io.sensorcast.ingest.IngestConfig;
import io.sensorcast.ingest.IngestMetrics;
import io.sensorcast.ingest.RejectReason;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/** Resampling, gaps, statistics and windows per sensor, on the {@code ingest-sensor-state} store. */
public final class SensorProcessor implements Processor<String, Ingested, String, Ingested> {
    private final IngestConfig config;
    private final IngestMetrics metrics;
    private final String storeName;
    private ProcessorContext<String, Ingested> context;
    private KeyValueStore<String, byte[]> store;

    public SensorProcessor(IngestConfig config, IngestMetrics metrics, String storeName) {
        this.config = config;
        this.metrics = metrics;
        this.storeName = storeName;
    }

    @Override
    public void init(ProcessorContext<String, Ingested> context) {
        this.context = context;
        this.store = context.getStateStore(storeName);
    }

    @Override
    public void process(Record<String, Ingested> record) {
        Ingested.Accepted a = (Ingested.Accepted) record.value();
        byte[] stored = store.get(a.sensor());
        SensorState state = stored == null ? new SensorState(config.window()) : SensorState.fromBytes(stored, config.window());
        long streamTimeBefore = state.streamTime();
        Record<String, Ingested> out = record.withKey(a.sensor()).withHeaders(new RecordHeaders());
        SensorState.Outcome outcome = state.add(a.sensor(), a.ts(), a.value(), a.arrivedAt(), config, s -> {
            metrics.sequence();
            context.forward(out.withValue(new Ingested.Emitted(s)));
        });
        switch (outcome) {
            case ACCEPTED -> store.put(a.sensor(), state.toBytes());
            case DUPLICATE -> metrics.duplicate();
            case LATE -> {
                long stepStart = Math.floorDiv(a.ts(), config.stepMs()) * config.stepMs();
                String detail = "step " + stepStart + " closed at " + (stepStart + config.stepMs() + config.graceMs())
                        + " (end + grace " + config.graceMs() + " ms); sensor stream time is " + streamTimeBefore;
                context.forward(record.withKey((String) null).withValue(new Ingested.DeadLetter(RejectReason.LATE, detail,
                        DeadLetterHeaders.STAGE_RESAMPLE, a.sourceTopic(), a.sourcePartition(), a.sourceOffset(),
                        a.originalKey(), a.originalValue())));
            }
        }
    }
}
