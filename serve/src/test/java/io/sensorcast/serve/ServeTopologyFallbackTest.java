package io.sensorcast.serve;

import static io.sensorcast.serve.ServeDriver.STEP;
import static io.sensorcast.serve.ServeDriver.T0;
import static io.sensorcast.serve.ServeDriver.rising;
import static io.sensorcast.serve.ServeDriver.sequence;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;

/** Before any checkpoint, every sequence still gets a forecast: persistence of its last value. */
class ServeTopologyFallbackTest {

    @Test
    void shouldForecastPersistenceOfLastValueInSensorUnitsWhenNoModelExists() {
        try (ServeDriver d = new ServeDriver()) {
            d.pipe(sequence("pump-7.temp", T0, rising(), 10.0, 2.0));

            TestRecord<String, Forecast> out = d.forecasts.readRecord();
            assertEquals("pump-7.temp", out.key());
            assertEquals(T0, out.timestamp(), "record time = sequence end (event time)");
            Forecast f = out.value();
            assertEquals("persistence", f.method());
            assertEquals("default", f.model());
            assertNull(f.modelVersion());
            assertEquals(T0, f.issuedAt());
            assertEquals(STEP, f.stepMs());
            assertEquals(4, f.points().size());
            for (int k = 0; k < 4; k++) {
                // last normalised value 0.5, de-normalised: 0.5 · 2 + 10 = 11
                assertEquals(T0 + (k + 1) * STEP, f.points().get(k).ts());
                assertEquals(11.0, f.points().get(k).value(), 1e-6);
            }
            assertEquals(1.0, d.counter("sensorcast.serve.forecasts", "method", "persistence"));
            assertEquals(0.0, d.counter("sensorcast.serve.forecasts", "method", "lstm"));
            assertTrue(d.forecasts.isEmpty());
        }
    }

    @Test
    void shouldRouteSensorToModelOfFirstMatchingRuleWhenRulesAreConfigured() {
        ServeConfig config = ServeDriver.CONFIG.withRoutingRules(List.of(
                RoutingRule.parse("prefix:pump-=pumps"), RoutingRule.parse("regex:.*\\.temp=temps")));
        try (ServeDriver d = new ServeDriver(config)) {
            d.pipe(sequence("pump-7.temp", T0, rising(), 10.0, 2.0));   // both rules match: the first wins
            d.pipe(sequence("fan-1.temp", T0, rising(), 10.0, 2.0));
            d.pipe(sequence("fan-1.rpm", T0, rising(), 10.0, 2.0));

            assertEquals(List.of("pumps", "temps", "default"), d.readAll().stream().map(Forecast::model).toList());
            assertTrue(d.forecasts.isEmpty());
        }
    }
}
