package io.sensorcast.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.streams.errors.StreamsException;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.junit.jupiter.api.Test;

class StreamThreadRecoveryTest {
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final StreamThreadRecovery recovery = new StreamThreadRecovery("serve", registry);

    @Test
    void shouldReplaceTheThreadAndCountItWhenTheProducerTimedOutWaitingForTheBroker() {
        // what serve's thread died of in a 75 s broker outage: send() blocked longer than max.block.ms
        StreamsException e = new StreamsException("Error encountered sending record to topic forecasts",
                new TimeoutException("Topic forecasts not present in metadata after 60000 ms."));

        assertEquals(StreamThreadExceptionResponse.REPLACE_THREAD, recovery.handle(e));
        assertEquals(1.0, registry.get("sensorcast.stream.threads.replaced").tag("topology", "serve").counter().count());
    }

    @Test
    void shouldShutDownWithoutCountingWhenTheErrorIsABug() {
        StreamsException e = new StreamsException("processor failed", new NullPointerException("window"));

        assertEquals(StreamThreadExceptionResponse.SHUTDOWN_CLIENT, recovery.handle(e));
        assertEquals(0.0, registry.get("sensorcast.stream.threads.replaced").counter().count());
    }

    @Test
    void shouldShutDownWhenTheBrokerRefusesUsEvenIfATimeoutCameFirst() {
        StreamsException e = new StreamsException("failed", new TimeoutException("retrying",
                new TopicAuthorizationException("Not authorized to access topics: [forecasts]")));

        assertEquals(StreamThreadExceptionResponse.SHUTDOWN_CLIENT, recovery.handle(e));
        assertEquals(StreamThreadExceptionResponse.SHUTDOWN_CLIENT,
                recovery.handle(new StreamsException(new SaslAuthenticationException("bad password"))));
    }

    @Test
    void shouldWaitLongerForEachReplacementInQuickSuccession() {
        // the first replacement after a quiet minute is immediate; then 1 s, 2 s, 4 s … capped at 30 s
        assertEquals(Duration.ZERO, recovery.nextWait());
        assertEquals(Duration.ofSeconds(1), recovery.nextWait());
        assertEquals(Duration.ofSeconds(2), recovery.nextWait());
        assertEquals(Duration.ofSeconds(4), recovery.nextWait());
        assertEquals(Duration.ofSeconds(8), recovery.nextWait());
        assertEquals(Duration.ofSeconds(16), recovery.nextWait());
        assertEquals(Duration.ofSeconds(30), recovery.nextWait());
        assertEquals(Duration.ofSeconds(30), recovery.nextWait());
    }
}
