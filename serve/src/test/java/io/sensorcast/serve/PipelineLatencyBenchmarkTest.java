package io.sensorcast.serve;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class PipelineLatencyBenchmarkTest {
    @Test
    void shouldReadIssuedAtFromAForecastAsTheFullParserDoes() {
        Forecast f = new Forecast("pump-7.temp", 1_732_445_700_000L, 60_000L, "default", 7L, Forecast.LSTM,
                java.util.List.of(new Forecast.Point(1_732_445_760_000L, 1.5, 1, 2), new Forecast.Point(1_732_445_820_000L, 2.5, 2, 3)));
        byte[] json = f.toJson();
        assertEquals(Forecast.fromJson(json).issuedAt(), PipelineLatencyBenchmark.issuedAt(json));
    }

    @Test
    void shouldRefuseAValueWithoutIssuedAt() {
        assertThrows(IllegalArgumentException.class, () -> PipelineLatencyBenchmark.issuedAt("{}".getBytes(StandardCharsets.UTF_8)));
    }
}
