package io.sensorcast.ops.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sensorcast.kafka.testing.KafkaCluster;
import io.sensorcast.kafka.testing.RealKafkaBroker;
import io.sensorcast.ops.SensorcastCli;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.GroupListing;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code eval --kafka}: ingest and serve as Kafka Streams applications on a broker give the report the in-process
 * replay gives. Short series and a small LSTM: the point is the transport, not the accuracy.
 */
@Tag("integration")
@Timeout(300)
@ExtendWith(RealKafkaBroker.class)
class EvalOverKafkaIT {
    /** Identical sequences reach the trainer either way; only serve's batching (float summation order) may differ. */
    private static final double LSTM_RELATIVE_TOLERANCE = 1e-6;
    private static final List<String> SCORES = List.of("mse", "mae", "mseRaw", "maeRaw", "mase", "maeVsPersistence");

    @TempDir
    Path dir;

    @Test
    void shouldReportTheSameAccuracyOverTheEmbeddedBrokerAsInProcess() throws Exception {
        Path csv = seriesWithAGapAndABadValue(dir.resolve("series.csv"));
        List<String> common = List.of("eval", "--csv", csv.toString(), "--time-column", "ts", "--value-column", "value",
                "--window", "24", "--horizon", "6", "--hidden", "8", "--passes", "2", "--split", "0.6,0.2,0.2");
        JsonNode inProcess = eval(common, "--out", dir.resolve("in-process").toString());
        JsonNode overKafka = eval(common, "--kafka", "--out", dir.resolve("kafka").toString());

        // the same sequences and dead letters came out of ingest, so training went step for step the same
        assertEquals(inProcess.get("sequences"), overKafka.get("sequences"));
        assertEquals(1, overKafka.get("deadLetters").asInt(), "the out-of-range value is dead-lettered by ingest");
        assertEquals(inProcess.get("deadLetters"), overKafka.get("deadLetters"));
        assertEquals(inProcess.get("testOrigins"), overKafka.get("testOrigins"));
        assertEquals(inProcess.get("training"), overKafka.get("training"));
        for (String span : List.of("results", "validation")) {
            for (int i = 0; i < 4; i++) {
                JsonNode a = inProcess.get(span).get(i);
                JsonNode b = overKafka.get(span).get(i);
                String method = a.get("method").asText();
                assertEquals(method, b.get("method").asText());
                assertEquals(a.get("points"), b.get("points"), span + " " + method);
                if (method.startsWith("lstm")) {
                    for (String score : SCORES) {
                        double x = a.get(score).asDouble();
                        double y = b.get(score).asDouble();
                        assertTrue(Math.abs(x - y) <= LSTM_RELATIVE_TOLERANCE * Math.abs(x),
                                span + " " + method + " " + score + ": in process " + x + ", over Kafka " + y);
                    }
                } else {
                    assertEquals(a, b, span + " " + method + " (the baselines see only ingest's steps)");
                }
            }
        }
    }

    @Test
    void shouldScoreEveryTestTargetAndLeaveNothingBehindOnAnExistingCluster(KafkaCluster kafka) throws Exception {
        Path csv = SyntheticSeries.write(dir.resolve("forty.csv"), 40, 0);
        JsonNode report = eval(List.of("eval", "--csv", csv.toString(), "--time-column", "ts", "--value-column", "value",
                "--window", "4", "--horizon", "3", "--hidden", "4", "--passes", "1", "--batch-size", "8",
                "--split", "20,8,12", "--kafka", "--bootstrap-servers", kafka.bootstrapServers()),
                "--out", dir.resolve("report").toString());

        // 12 test steps, the last of them the file's last row: 12 − 3 + 1 = 10 origins, 3 leads each, none missing
        assertEquals(10, report.get("testOrigins").asInt());
        assertEquals(30, report.get("results").get(0).get("points").asInt());
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            List<String> topics = admin.listTopics().names().get(30, TimeUnit.SECONDS).stream()
                    .filter(t -> t.startsWith("sensorcast-eval-")).toList();
            assertEquals(List.of(), topics, "topics the run left on the cluster");
            List<String> groups = admin.listGroups().all().get(30, TimeUnit.SECONDS).stream()
                    .map(GroupListing::groupId).filter(g -> g.startsWith("sensorcast-eval-")).toList();
            assertEquals(List.of(), groups, "consumer groups the run left on the cluster");
        }
    }

    private static JsonNode eval(List<String> args, String... more) throws IOException {
        List<String> all = new ArrayList<>(args);
        all.addAll(List.of(more));
        StringWriter err = new StringWriter();
        int code = SensorcastCli.execute(all.toArray(String[]::new), new PrintWriter(new StringWriter(), true),
                new PrintWriter(err, true));
        assertEquals(0, code, err.toString());
        Path out = Path.of(all.get(all.indexOf("--out") + 1));
        return new ObjectMapper().readTree(out.resolve(AccuracyReport.JSON).toFile());
    }

    /**
     * 400 hourly rows of a daily sine with noise; row 330 (test span) is missing, so ingest interpolates it, and row 250
     * (validation span) is 1e13, beyond ingest's value range, so it is dead-lettered and interpolated too.
     */
    private static Path seriesWithAGapAndABadValue(Path file) throws IOException {
        Random noise = new Random(11);
        StringBuilder sb = new StringBuilder("ts,value\n");
        long t0 = 1_577_836_800_000L;
        for (int i = 0; i < 400; i++) {
            double v = 20 + 5 * Math.sin(2 * Math.PI * i / 24) + 0.2 * noise.nextGaussian();
            if (i == 330) {
                continue;
            }
            sb.append(t0 + i * 3_600_000L).append(',').append(i == 250 ? "1e13" : String.format(Locale.ROOT, "%.4f", v)).append('\n');
        }
        return Files.writeString(file, sb);
    }
}
