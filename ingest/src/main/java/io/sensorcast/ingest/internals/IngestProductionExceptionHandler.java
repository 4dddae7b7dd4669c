package io.sensorcast.ingest.internals;

import java.util.Map;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProductionExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Skips (and logs) a record the broker will never accept — too large, or one that cannot be serialised — instead of
 * stopping the application; any other send error fails as Kafka Streams' default handler does.
 */
public final class IngestProductionExceptionHandler implements ProductionExceptionHandler {
    private static final Logger LOG = LoggerFactory.getLogger(IngestProductionExceptionHandler.class);

    @Override
    public Response handleError(ErrorHandlerContext context, ProducerRecord<byte[], byte[]> record, Exception exception) {
        if (exception instanceof RecordTooLargeException) {
            LOG.error("Skipping a record too large for topic=[{}]: {} (source topic=[{}] partition=[{}] offset=[{}])",
                    record.topic(), exception.getMessage(), context.topic(), context.partition(), context.offset());
            return Response.resume();
        }
        return Response.fail();
    }

    @Override
    public Response handleSerializationError(ErrorHandlerContext context, ProducerRecord record, Exception exception,
                                             SerializationExceptionOrigin origin) {
        LOG.error("Skipping a record that cannot be serialised for topic=[{}]: {} (source topic=[{}] partition=[{}] offset=[{}])",
                record.topic(), exception.getMessage(), context.topic(), context.partition(), context.offset());
        return Response.resume();
    }

    @Override
    public void configure(Map<String, ?> configs) {
    }
}
