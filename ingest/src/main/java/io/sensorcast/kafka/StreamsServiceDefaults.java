package io.sensorcast.kafka;

import java.util.Map;
import java.util.Properties;

import org.apache.kafka.streams.StreamsConfig;

/**
 * The Kafka Streams settings ingest and serve share, applied in one place so that a new one reaches both services:
 * transactional batching and crash-safe stores under exactly-once, the killed-member session timeout, the restore
 * fetch wait, the producers' outage wait and the idle poll wait; then the user's overrides, which win over all of
 * these; then static membership, which reads the final application id and state directory (and keeps a user's own
 * instance id).
 */
public final class StreamsServiceDefaults {
    private StreamsServiceDefaults() {
    }

    /** Applies the shared settings and {@code userOverrides} to {@code streamsProperties}, in that order. */
    public static void apply(Properties streamsProperties, String processingGuarantee, Map<String, ?> userOverrides) {
        TransactionalBatching.apply(streamsProperties, processingGuarantee);
        CrashSafeStateStores.apply(streamsProperties, processingGuarantee);
        CrashedMemberTimeout.apply(streamsProperties);
        RestoreFetchWait.apply(streamsProperties);
        ProducerOutageWait.apply(streamsProperties);
        IdlePollWait.apply(streamsProperties);
        streamsProperties.putAll(userOverrides);
        echoGlobalProcessingHandlerToAssignor(streamsProperties);
        StaticMembership.apply(streamsProperties);
    }

    /*
     * Kafka Streams 4.4 builds a StreamsConfig for its partition assignor from the main consumer's settings, which
     * do not carry processing.exception.handler.global.enabled, and that StreamsConfig warns at every start that the
     * handler is not enabled for the global thread, whatever the application set. The main consumer gets the same
     * value (it ignores the key itself), so the warning speaks of the application's real setting.
     */
    private static void echoGlobalProcessingHandlerToAssignor(Properties streamsProperties) {
        Object enabled = streamsProperties.get(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG);
        if (enabled != null) {
            streamsProperties.putIfAbsent(StreamsConfig.mainConsumerPrefix(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG), enabled);
        }
    }
}
