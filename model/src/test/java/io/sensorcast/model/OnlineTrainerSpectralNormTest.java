package io.sensorcast.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sensorcast.model.support.SimulatedStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** When the trainer measures the recurrent matrices' largest singular value and exports it. */
class OnlineTrainerSpectralNormTest {
    /** Small and fast: window 48, horizon 12, 16 units; a probe every 5 steps. */
    private static final ModelConfig CONFIG = ModelConfig.defaults().withShape(48, 12).withHidden(16).withTbptt(12, 12)
            .withSpectralNormEvery(5).withSeed(3);

    private SimpleMeterRegistry registry;
    private OnlineTrainer trainer;
    private SimulatedStream stream;

    @BeforeEach
    void createTrainer() {
        registry = new SimpleMeterRegistry();
        Clock clock = Clock.fixed(Instant.ofEpochMilli(1_700_000_000_000L), ZoneOffset.UTC);
        trainer = new OnlineTrainer("m1", CONFIG, new TrainerMetrics(registry, CONFIG.clipThreshold()), clock);
        stream = new SimulatedStream(4, 11, Duration.ofMinutes(15), 48, 1);
    }

    private double exported() {
        return registry.get("sensorcast.trainer.recurrent.spectral.norm").tag("layer", "0").gauge().value();
    }

    @Test
    void shouldExportTheSpectralNormOfTheWeightsAfterTheFirstStep() {
        trainer.testThenTrain(stream.nextBatch());

        // Without this a dashboard shows nothing, and the growth alert has no baseline, for spectralNormEvery steps.
        double expected = SpectralNorm.recurrentLayers(trainer.network()).get(0);
        assertTrue(expected > 0, "σ₁ of the recurrent matrix must be positive: " + expected);
        assertEquals(expected, exported(), 1e-12);
    }

    @Test
    void shouldKeepTheValueBetweenProbesAndRefreshItEverySpectralNormEverySteps() {
        trainer.testThenTrain(stream.nextBatch());
        double afterFirstStep = exported();
        for (int step = 2; step <= 4; step++) {
            trainer.testThenTrain(stream.nextBatch());
        }
        assertEquals(afterFirstStep, exported(), 0.0, "no probe at steps 2-4");

        trainer.testThenTrain(stream.nextBatch()); // the 5th step: step count 5 is a multiple of spectralNormEvery
        double expected = SpectralNorm.recurrentLayers(trainer.network()).get(0);
        assertTrue(expected != afterFirstStep, "training must have moved the weights for this test to mean anything");
        assertEquals(expected, exported(), 1e-12);
    }
}
