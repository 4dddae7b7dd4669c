package io.sensorcast.serve;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

/** The hand-written forecast writer against the Jackson generator it replaced (fixed seed, printed on failure). */
class ForecastJsonTest {
    private static final long SEED = 99L;

    private static double randomDouble(SplittableRandom random) {
        return switch (random.nextInt(4)) {
            case 0 -> 20 + random.nextGaussian() * 3;
            case 1 -> Double.longBitsToDouble(random.nextLong());
            case 2 -> random.nextBoolean() ? 0.0 : -0.0;
            default -> (random.nextDouble() - 0.5) * Math.pow(10, random.nextInt(-8, 9));
        };
    }

    private static Forecast randomForecast(SplittableRandom random) {
        List<Forecast.Point> points = new ArrayList<>();
        int horizon = random.nextInt(0, 30);
        long issuedAt = random.nextLong();
        for (int k = 0; k < horizon; k++) {
            points.add(new Forecast.Point(issuedAt + k, randomDouble(random), randomDouble(random), randomDouble(random)));
        }
        boolean lstm = random.nextBoolean();
        String sensor = random.nextBoolean() ? "pump-" + random.nextInt(1000) + ".temp" : "é\"\\\n\u0001\ud83d\ude00" + random.nextInt();
        return new Forecast(sensor, issuedAt, random.nextLong(), "default", lstm ? random.nextLong() : null,
                lstm ? Forecast.LSTM : Forecast.PERSISTENCE, points);
    }

    @Test
    void shouldWriteTheBytesJacksonWrote() {
        SplittableRandom random = new SplittableRandom(SEED);
        for (int i = 0; i < 3_000; i++) {
            Forecast f = randomForecast(random);
            int index = i;
            assertArrayEquals(JacksonForecastWriter.toJson(f), f.toJson(), () -> "forecast " + index + ", seed " + SEED);
        }
    }

    @Test
    void shouldReadBackEveryFiniteForecastExactly() {
        SplittableRandom random = new SplittableRandom(SEED + 1);
        for (int i = 0; i < 3_000; i++) {
            Forecast f = randomForecast(random);
            if (f.points().stream().allMatch(p -> Double.isFinite(p.value()) && Double.isFinite(p.lo()) && Double.isFinite(p.hi()))) {
                assertEquals(f, Forecast.fromJson(f.toJson()), "seed " + SEED);
            }
        }
    }

    @Test
    void shouldWriteAPersistenceForecastWithANullModelVersion() {
        Forecast f = new Forecast("s", 60_000, 60_000, "default", null, Forecast.PERSISTENCE,
                List.of(new Forecast.Point(120_000, 71.25, 70.5, 72.0)));
        assertEquals("{\"sensor\":\"s\",\"issuedAt\":60000,\"stepMs\":60000,\"model\":\"default\",\"modelVersion\":null,"
                        + "\"method\":\"persistence\",\"points\":[{\"ts\":120000,\"value\":71.25,\"lo\":70.5,\"hi\":72.0}]}",
                new String(f.toJson(), StandardCharsets.UTF_8));
    }
}
