package io.sensorcast.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code bench} runs the peer script in the same run and takes each row's peer figure from the field it compares with. */
class BenchPeerTest {

    // the peer's output format (../shared/peers/pytorch_lstm_bench.py): one JSON line per requested batch size
    private static final String FAKE_PEER = """
            import argparse, json
            p = argparse.ArgumentParser()
            p.add_argument("--batch"); p.add_argument("--repeats")
            a = p.parse_args()
            for b in a.batch.split(","):
                print(json.dumps({"batch": int(b), "train_sequences_per_s": 40.0 * int(b),
                                  "forecast_full_window_per_s": 50.0, "forecast_stateful_step_per_s": 60.0}))
            """;

    @Test
    void shouldTakeTheTrainRowsPeerFromThePeersTrainingFigureAtTheSameBatch(@TempDir Path dir) throws Exception {
        Path peer = Files.writeString(dir.resolve("peer.py"), FAKE_PEER);
        Path out = dir.resolve("bench.json");

        CliRun run = CliRun.of("bench", "train", "--batches", "2", "--repeats", "1", "--peer-script", peer.toString(),
                "--out", out.toString());

        assertEquals(0, run.exitCode(), run.err());
        JsonNode row = new ObjectMapper().readTree(out.toFile()).get("results").get(0);
        assertEquals("train", row.get("benchmark").asText());
        assertEquals(80.0, row.get("peer").asDouble());
        // the ratio is taken before "value" is rounded to 0.1 and is itself rounded to 0.001
        assertEquals(row.get("value").asDouble() / 80.0, row.get("ratio").asDouble(), 0.05 / 80.0 + 0.0005 + 1e-9, row.toString());
        assertTrue(row.get("peerName").asText().contains("train_sequences_per_s"), row.toString());
    }

    @Test
    void shouldLeaveThePeerEmptyAndSaySoWhenThePeerScriptFails(@TempDir Path dir) throws Exception {
        Path peer = Files.writeString(dir.resolve("peer.py"), "import sys\nsys.exit(3)\n");
        Path out = dir.resolve("bench.json");

        CliRun run = CliRun.of("bench", "train", "--batches", "2", "--repeats", "1", "--peer-script", peer.toString(),
                "--out", out.toString());

        assertEquals(0, run.exitCode(), run.err());
        JsonNode row = new ObjectMapper().readTree(out.toFile()).get("results").get(0);
        assertTrue(row.get("peer").isNull(), row.toString());
        assertTrue(row.get("ratio").isNull(), row.toString());
        assertTrue(run.err().contains("the PyTorch peer failed"), run.err());
    }
}
