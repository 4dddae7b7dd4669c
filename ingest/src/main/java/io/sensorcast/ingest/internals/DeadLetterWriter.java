package io.sensorcast.ingest.internals;

import java.nio.charset.StandardCharsets;

import io.sensorcast.ingest.DeadLetterHeaders;
import io.sensorcast.ingest.IngestMetrics;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Turns a {@link Ingested.DeadLetter} into the DLQ record: original key and bytes, original headers plus {@code dlq.*}. */
public final class DeadLetterWriter implements Processor<String, Ingested, byte[], byte[]> {
    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterWriter.class);
    private final IngestMetrics metrics;
    private ProcessorContext<byte[], byte[]> context;

    public DeadLetterWriter(IngestMetrics metrics) {
        this.metrics = metrics;
    }

    @Override
    public void init(ProcessorContext<byte[], byte[]> context) {
        this.context = context;
    }

    @Override
    public void process(Record<String, Ingested> record) {
        Ingested.DeadLetter d = (Ingested.DeadLetter) record.value();
        Headers headers = new RecordHeaders();
        for (var h : record.headers()) {
            if (!h.key().startsWith("dlq.")) {
                headers.add(h);
            }
        }
        headers.add(DeadLetterHeaders.REASON, utf8(d.reason().code()));
        headers.add(DeadLetterHeaders.DETAIL, utf8(d.detail()));
        headers.add(DeadLetterHeaders.SOURCE_TOPIC, utf8(String.valueOf(d.sourceTopic())));
        headers.add(DeadLetterHeaders.SOURCE_PARTITION, utf8(Integer.toString(d.sourcePartition())));
        headers.add(DeadLetterHeaders.SOURCE_OFFSET, utf8(Long.toString(d.sourceOffset())));
        headers.add(DeadLetterHeaders.STAGE, utf8(d.stage()));
        metrics.deadLetter(d.reason());
        LOG.warn("Sending record to the dead-letter topic: reason=[{}] detail=[{}] topic=[{}] partition=[{}] offset=[{}]",
                d.reason().code(), d.detail(), d.sourceTopic(), d.sourcePartition(), d.sourceOffset());
        context.forward(new Record<>(d.originalKey(), d.originalValue(), record.timestamp(), headers));
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
