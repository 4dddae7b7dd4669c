package io.sensorcast.model;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** The trainer's meters as Prometheus scrapes them (DESIGN.md "Metrics"). */
class TrainerMetricsTest {

    private static String scrapeAfterOneOfEach() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        TrainerMetrics m = new TrainerMetrics(registry, 120);
        m.recordStep(250, 120, true, 0.4, 1e-3);
        m.explosion(GradientEvent.Kind.NORM_SPIKE);
        m.rollback();
        m.prequentialMae(1.25);
        m.spectralNorm(0, 1.7);
        return registry.scrape();
    }

    private static void assertLine(String scrape, String line) {
        assertTrue(scrape.contains(line), "missing «" + line + "» in\n" + scrape);
    }

    @Test
    void shouldExposeCountersWithTotalSuffixWhenScraped() {
        String s = scrapeAfterOneOfEach();
        assertLine(s, "sensorcast_trainer_gradient_clipped_total 1.0");
        assertLine(s, "sensorcast_trainer_steps_total 1.0");
        assertLine(s, "sensorcast_trainer_rollbacks_total 1.0");
        assertLine(s, "sensorcast_trainer_gradient_explosions_total{kind=\"norm_spike\"} 1.0");
        assertLine(s, "sensorcast_trainer_gradient_explosions_total{kind=\"nonfinite\"} 0.0");
        assertLine(s, "sensorcast_trainer_gradient_explosions_total{kind=\"loss_spike\"} 0.0");
    }

    @Test
    void shouldExposeNormHistogramWithBucketAtClipThresholdWhenScraped() {
        String s = scrapeAfterOneOfEach();
        // pre-clip 250 lies above the threshold bucket, post-clip 120 inside it
        assertLine(s, "sensorcast_trainer_gradient_norm_bucket{stage=\"pre_clip\",le=\"120.0\"} 0");
        assertLine(s, "sensorcast_trainer_gradient_norm_bucket{stage=\"post_clip\",le=\"120.0\"} 1");
        assertLine(s, "sensorcast_trainer_gradient_norm_bucket{stage=\"pre_clip\",le=\"500.0\"} 1");
        assertLine(s, "sensorcast_trainer_gradient_norm_count{stage=\"pre_clip\"} 1");
        assertLine(s, "sensorcast_trainer_gradient_norm_sum{stage=\"pre_clip\"} 250.0");
    }

    @Test
    void shouldExposeGaugesWhenScraped() {
        String s = scrapeAfterOneOfEach();
        assertLine(s, "sensorcast_trainer_gradient_norm_last 250.0");
        assertLine(s, "sensorcast_trainer_loss 0.4");
        assertLine(s, "sensorcast_trainer_prequential_mae 1.25");
        assertLine(s, "sensorcast_trainer_learning_rate 0.001");
        assertLine(s, "sensorcast_trainer_recurrent_spectral_norm{layer=\"0\"} 1.7");
    }
}
