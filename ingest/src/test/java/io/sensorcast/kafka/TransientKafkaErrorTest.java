package io.sensorcast.kafka;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.errors.DisconnectException;
import org.apache.kafka.common.errors.FencedInstanceIdException;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TransactionalIdAuthorizationException;
import org.junit.jupiter.api.Test;

class TransientKafkaErrorTest {

    @Test
    void shouldCallATimeoutTransientWhereverItSitsInTheCauseChain() {
        assertTrue(TransientKafkaError.matches(new TimeoutException("Timeout expired after 60000ms while awaiting AddOffsetsToTxn")));
        assertTrue(TransientKafkaError.matches(new KafkaException("Cannot execute transactional method because we are in an error state",
                new KafkaException("wrapped", new DisconnectException()))));
    }

    @Test
    void shouldCallATransactionAbortedDuringAnOutageTransient() {
        assertTrue(TransientKafkaError.matches(new ProducerFencedException("epoch bumped after the transaction timed out")));
        assertTrue(TransientKafkaError.matches(new KafkaException(new InvalidProducerEpochException("bumped"))));
    }

    @Test
    void shouldNeverCallSecurityOrConfigurationErrorsTransient() {
        assertFalse(TransientKafkaError.matches(new SaslAuthenticationException("Authentication failed: Invalid username or password")));
        assertFalse(TransientKafkaError.matches(new TimeoutException("while", new TransactionalIdAuthorizationException("denied"))));
        assertFalse(TransientKafkaError.matches(new ConfigException("sasl.jaas.config", "<hidden>", "missing")));
    }

    @Test
    void shouldNotFightASecondInstanceForTheSameStaticMembership() {
        assertFalse(TransientKafkaError.matches(new FencedInstanceIdException("another trainer took sensorcast-trainer-default")));
    }

    @Test
    void shouldNotCallOurOwnBugsTransient() {
        assertFalse(TransientKafkaError.matches(new IllegalStateException("network has the wrong shape")));
        assertFalse(TransientKafkaError.matches(new KafkaException("unknown")));
        assertFalse(TransientKafkaError.matches(new OutOfMemoryError("Java heap space")));
    }
}
