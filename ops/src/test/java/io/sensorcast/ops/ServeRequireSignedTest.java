package io.sensorcast.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.Test;

class ServeRequireSignedTest {

    @Test
    void shouldRefuseToStartInOneLineWhenSignaturesAreRequiredAndNoKeyIsSet() {
        assumeTrue(System.getenv("SENSORCAST_CHECKPOINT_HMAC_KEY") == null, "the key is set in this environment");

        // an address nothing listens on: the refusal must come before any attempt to reach Kafka
        CliRun run = CliRun.of("serve", "--require-signed", "-b", "127.0.0.1:1", "--metrics-port", "0");

        assertEquals(2, run.exitCode(), run.err());
        assertEquals(1, run.err().lines().count(), run.err());
        assertTrue(run.err().contains("--require-signed needs the checkpoint key in SENSORCAST_CHECKPOINT_HMAC_KEY"), run.err());
    }
}
