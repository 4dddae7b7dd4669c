package io.sensorcast.ingest.internals;

import io.sensorcast.ingest.DeadLetterHeaders;
import io.sensorcast.ingest.IngestMetrics;
import io.sensorcast.ingest.ParseResult;
import io.sensorcast.ingest.ReadingParser;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/** Raw bytes in, {@link Ingested.Accepted} (keyed by sensor) or {@link Ingested.DeadLetter} out. */
public final class ParseProcessor implements Processor<byte[], byte[], String, Ingested> {
    private final ReadingParser parser;
    private final IngestMetrics metrics;
    private ProcessorContext<String, Ingested> context;

    public ParseProcessor(ReadingParser parser, IngestMetrics metrics) {
        this.parser = parser;
        this.metrics = metrics;
    }

    @Override
    public void init(ProcessorContext<String, Ingested> context) {
        this.context = context;
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        metrics.reading();
        long now = context.currentSystemTimeMs();
        RecordMetadata m = context.recordMetadata().orElse(null);
        String topic = m == null ? null : m.topic();
        int partition = m == null ? -1 : m.partition();
        long offset = m == null ? -1 : m.offset();
        ParseResult result = parser.parse(record.key(), record.value(), now);
        if (result instanceof ParseResult.Parsed p) {
            context.forward(record.withKey(p.sensor()).withValue(new Ingested.Accepted(p.sensor(), p.ts(), p.value(), now,
                    p.keyIsSensor(), topic, partition, offset, record.key(), record.value())));
        } else {
            ParseResult.Rejected r = (ParseResult.Rejected) result;
            context.forward(record.withKey((String) null).withValue(new Ingested.DeadLetter(r.reason(), r.detail(),
                    DeadLetterHeaders.STAGE_PARSE, topic, partition, offset, record.key(), record.value())));
        }
    }
}
