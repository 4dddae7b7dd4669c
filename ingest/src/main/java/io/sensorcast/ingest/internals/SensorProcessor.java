package io.sensorcast.ingest.internals;

import java.util.LinkedHashMap;
import java.util.Map;

import io.sensorcast.ingest.DeadLetterHeaders;
import io.sensorcast.ingest.IngestConfig;
import io.sensorcast.ingest.IngestMetrics;
import io.sensorcast.ingest.RejectReason;
import io.sensorcast.kafka.DeferredWriteStore;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Resampling, gaps, statistics and windows per sensor, on two stores: each sensor's window (changed when a step
 * closes) and its open steps (changed at every accepted reading); see {@link SensorState}.
 *
 * <p>Both are {@link DeferredWriteStore}s: a changed state is handed to them as the live object and encoded once, at
 * the next commit. Beside them the processor keeps the decoded states it used last (a bounded LRU), so a sensor's
 * next reading does not decode its window again. That copy is safe because this processor is the stores' only
 * writer and Kafka Streams calls {@link #init} again whenever it re-initialises the task's state (after a rebalance
 * or an aborted exactly-once transaction), which clears it.
 */
public final class SensorProcessor implements Processor<String, Ingested, String, Ingested> {
    private final IngestConfig config;
    private final IngestMetrics metrics;
    private final String windowStoreName;
    private final String openStepsStoreName;
    private final int decodedCacheEntries;
    private ProcessorContext<String, Ingested> context;
    private DeferredWriteStore<SensorState> windows;
    private DeferredWriteStore<SensorState> openSteps;
    private Map<String, SensorState> decoded;

    public SensorProcessor(IngestConfig config, IngestMetrics metrics, String windowStoreName, String openStepsStoreName) {
        this.config = config;
        this.metrics = metrics;
        this.windowStoreName = windowStoreName;
        this.openStepsStoreName = openStepsStoreName;
        this.decodedCacheEntries = config.decodedStateCacheEntries();
    }

    @Override
    public void init(ProcessorContext<String, Ingested> context) {
        this.context = context;
        this.windows = context.getStateStore(windowStoreName);
        this.openSteps = context.getStateStore(openStepsStoreName);
        this.decoded = new LinkedHashMap<>(1024, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, SensorState> eldest) {
                return size() > decodedCacheEntries;
            }
        };
    }

    @Override
    public void close() {
        decoded = null;
    }

    @Override
    public void process(Record<String, Ingested> record) {
        Ingested.Accepted a = (Ingested.Accepted) record.value();
        SensorState state = decoded.get(a.sensor());
        if (state == null) {
            // evicted from the LRU but still waiting for the commit: the waiting object is the newest state
            state = openSteps.pending(a.sensor());
        }
        if (state == null) {
            state = SensorState.fromBytes(windows.get(a.sensor()), openSteps.get(a.sensor()), config.window());
        }
        long streamTimeBefore = state.streamTime();
        SensorState.Outcome outcome = state.add(a.sensor(), a.ts(), a.value(), a.arrivedAt(), config, s -> {
            metrics.sequence();
            // a sequence is a new record: the triggering reading's headers do not belong on it
            context.forward(record.withKey(a.sensor()).withValue((Ingested) new Ingested.Emitted(s)).withHeaders(new RecordHeaders()));
        });
        switch (outcome) {
            case ACCEPTED -> {
                openSteps.putLater(a.sensor(), state);
                if (state.takeWindowChanged()) {
                    windows.putLater(a.sensor(), state);
                }
                if (decodedCacheEntries > 0) {
                    decoded.put(a.sensor(), state);
                }
            }
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
