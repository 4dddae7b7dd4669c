package io.sensorcast.kafka;

import java.util.Map;
import java.util.Properties;

/**
 * The Kafka Streams settings ingest and serve share, applied in one place so that a new one reaches both services:
 * transactional batching and crash-safe stores under exactly-once, the killed-member session timeout, the restore
 * fetch wait, the producers' outage wait and the idle poll wait; then the user's overrides, which win over all of these; then static
 * membership, which reads the final application id and state directory (and keeps a user's own instance id).
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
        StaticMembership.apply(streamsProperties);
    }
}
