package io.sensorcast.model;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sensorcast.ingest.SensorSequence;
import io.sensorcast.model.support.SimulatedStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Injected explosions through the real training path: the right event, action and metrics, and finite weights after. */
class OnlineTrainerExplosionTest {
    private static final int WARMUP = 20;
    /** Window 48, horizon 12 → 36 input steps in TBPTT segments of 12; 16 units; medians over 32 steps, verdicts from 8. */
    private static final ModelConfig CONFIG = ModelConfig.defaults().withShape(48, 12).withHidden(16).withTbptt(12, 12)
            .withMedianWindow(32, 8).withRollback(3, 50).withGoodSnapshotEvery(10).withLrRecoverySteps(10).withSeed(3);

    private SimpleMeterRegistry registry;
    private OnlineTrainer trainer;
    private SimulatedStream stream;
    private final List<GradientEvent> events = new ArrayList<>();

    @BeforeEach
    void warmUp() {
        registry = new SimpleMeterRegistry();
        Clock clock = Clock.fixed(Instant.ofEpochMilli(1_700_000_000_000L), ZoneOffset.UTC);
        trainer = new OnlineTrainer("m1", CONFIG, new TrainerMetrics(registry, CONFIG.clipThreshold()), clock);
        trainer.addGradientEventListener(events::add);
        stream = new SimulatedStream(8, 11, Duration.ofMinutes(15), 48, 1);
        for (int i = 0; i < WARMUP; i++) {
            trainer.testThenTrain(stream.nextBatch());
        }
        assertTrue(events.isEmpty(), "no event while warming up on clean data: " + events);
    }

    private double explosions(String kind) {
        return registry.get("sensorcast.trainer.gradient.explosions").tag("kind", kind).counter().count();
    }

    private void assertWeightsFinite() {
        assertTrue(Double.isFinite(trainer.network().params().sumNumber().doubleValue()), "weights must stay finite");
    }

    @Test
    void shouldEmitNormSpikeAndClipWhenBatchIsScaledByAMillion() {
        StepReport r = trainer.testThenTrain(SimulatedStream.scaled(stream.nextBatch(), 1e6f));

        assertNotNull(r.event(), "a ×1e6 batch must raise an event");
        assertEquals(GradientEvent.Kind.NORM_SPIKE, r.event().kind());
        assertEquals(GradientEvent.Action.CLIPPED, r.event().action());
        assertTrue(r.preClipNorm() > CONFIG.explosionFactor() * r.event().medianNorm());
        assertTrue(r.clipped());
        assertEquals(CONFIG.clipThreshold(), r.postClipNorm(), 1e-9 * CONFIG.clipThreshold());
        assertEquals(1.0, explosions("norm_spike"));
        assertEquals(0.0, explosions("nonfinite") + explosions("loss_spike"));
        assertEquals(List.of(r.event()), events);
        assertWeightsFinite();
    }

    @Test
    void shouldSkipUpdateAndKeepWeightsExactlyWhenBatchContainsNaN() {
        INDArray paramsBefore = trainer.network().params().dup();
        INDArray updaterBefore = trainer.network().getUpdater().getStateViewArray().dup();
        int iterationBefore = trainer.network().getIterationCount();

        StepReport r = trainer.testThenTrain(SimulatedStream.withNaN(stream.nextBatch()));

        assertEquals(GradientEvent.Kind.NONFINITE, r.event().kind());
        assertEquals(GradientEvent.Action.SKIPPED, r.event().action());
        assertFalse(r.applied());
        assertEquals(paramsBefore, trainer.network().params(), "parameters must not change at all");
        assertEquals(updaterBefore, trainer.network().getUpdater().getStateViewArray(), "Adam's moments must not change");
        assertEquals(iterationBefore, trainer.network().getIterationCount());
        assertEquals(1.0, explosions("nonfinite"));
        assertEquals(WARMUP + 1.0, registry.get("sensorcast.trainer.steps").counter().count());
        assertTrue(r.event().toJson().contains("\"preClipNorm\":null"), r.event().toJson());
        assertWeightsFinite();
    }

    @Test
    void shouldEmitNormSpikeWhenLearningRateSpikes() {
        // lr 1e-3 × 1e4 = 10 for one step: the first TBPTT segment's Adam update moves every weight by ~10, so the
        // step's later segments already see exploded gradients
        trainer.injectLearningRateSpike(1e4);
        StepReport spiked = trainer.testThenTrain(stream.nextBatch());

        assertEquals(10.0, spiked.learningRate(), 1e-9);
        assertNotNull(spiked.event(), "the spiked step must raise an event");
        assertEquals(GradientEvent.Kind.NORM_SPIKE, spiked.event().kind());
        assertEquals(GradientEvent.Action.CLIPPED, spiked.event().action());
        assertEquals(1.0, explosions("norm_spike"));
        assertEquals(CONFIG.learningRate(), trainer.learningRate(), 1e-12, "the spike lasts one step");
        assertWeightsFinite();
    }

    @Test
    void shouldRollBackToLastGoodWeightsWhenExplosionsRepeat() {
        // WARMUP = 20 quiet steps: the last good copy was taken after step 20 (goodSnapshotEvery = 10)
        INDArray good = trainer.network().params().dup();
        StepReport first = trainer.testThenTrain(SimulatedStream.scaled(stream.nextBatch(), 1e6f));
        StepReport second = trainer.testThenTrain(SimulatedStream.scaled(stream.nextBatch(), 1e6f));
        StepReport third = trainer.testThenTrain(SimulatedStream.scaled(stream.nextBatch(), 1e6f));

        assertEquals(GradientEvent.Action.CLIPPED, first.event().action());
        assertEquals(GradientEvent.Action.CLIPPED, second.event().action());
        assertEquals(GradientEvent.Action.ROLLED_BACK, third.event().action());
        assertEquals(good, trainer.network().params(), "weights must be the last good ones");
        assertEquals(1.0, registry.get("sensorcast.trainer.rollbacks").counter().count());
        assertEquals(3.0, explosions("norm_spike"));
        assertWeightsFinite();
    }

    @Test
    void shouldHalveLearningRateWhenRollingBack() {
        for (int i = 0; i < 3; i++) {
            trainer.testThenTrain(SimulatedStream.scaled(stream.nextBatch(), 1e6f));
        }
        assertEquals(0.5, trainer.learningRateMultiplier(), 1e-12);
        assertEquals(CONFIG.learningRate() / 2, trainer.learningRate(), 1e-12);
        assertEquals(CONFIG.learningRate() / 2, trainer.lastReport().event().learningRate(), 1e-12);
        StepReport after = trainer.testThenTrain(stream.nextBatch());
        assertEquals(CONFIG.learningRate() / 2, after.learningRate(), 1e-12, "the next step trains at half the rate");
        for (int i = 0; i < 2; i++) { // the rate the live updaters read (ModelConfigTest proves they use it)
            var layer = (org.deeplearning4j.nn.conf.layers.BaseLayer) trainer.network().getLayer(i).conf().getLayer();
            assertEquals(CONFIG.learningRate() / 2, layer.getIUpdater().getLearningRate(0, 0), 1e-12);
        }
        assertEquals(CONFIG.learningRate() / 2,
                registry.get("sensorcast.trainer.learning.rate").gauge().value(), 1e-12);
    }

    @Test
    void shouldRecoverLearningRateGraduallyAfterRollback() {
        for (int i = 0; i < 3; i++) {
            trainer.testThenTrain(SimulatedStream.scaled(stream.nextBatch(), 1e6f));
        }
        for (int i = 0; i < 5; i++) {
            assertNull(trainer.testThenTrain(stream.nextBatch()).event());
        }
        // 0.5 · 2^(5/10) after 5 of the 10 recovery steps
        assertEquals(0.5 * Math.sqrt(2), trainer.learningRateMultiplier(), 1e-9);
        for (int i = 0; i < 5; i++) {
            trainer.testThenTrain(stream.nextBatch());
        }
        assertEquals(1.0, trainer.learningRateMultiplier(), 1e-9);
    }

    @Test
    void shouldNotRaiseEventsWhenTrainingOnCleanData() {
        for (int i = 0; i < 10; i++) {
            trainer.testThenTrain(stream.nextBatch());
        }
        assertTrue(events.isEmpty(), events.toString());
        assertEquals(0.0, explosions("norm_spike") + explosions("nonfinite") + explosions("loss_spike"));
        assertEquals(WARMUP + 10.0, registry.get("sensorcast.trainer.steps").counter().count());
    }
}
