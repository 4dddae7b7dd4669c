package io.sensorcast.ops.command;

import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import io.sensorcast.kafka.Topics;
import io.sensorcast.ops.KafkaConnection;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "consume", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Pretty-prints the records of a topic (default: forecasts), oldest first, committed records only.",
                "Examples:",
                "  sensorcast consume --topic sensor-readings --max 10",
                "  sensorcast consume --topic sensor-readings.dlq --compact"})
public final class ConsumeCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();
    // arrays (96-value windows) stay on one line; objects are indented
    private static final ObjectWriter PRETTY = JSON.writer(new DefaultPrettyPrinter().withArrayIndenter(DefaultPrettyPrinter.NopIndenter.instance));

    @Spec
    CommandSpec spec;

    @Mixin
    KafkaOptions kafka;

    @Mixin
    KafkaClientConfigOptions clientConfig;

    @Option(names = "--topic", defaultValue = Topics.FORECASTS, description = "Topic to read (default: ${DEFAULT-VALUE}).")
    String topic;

    @Option(names = "--max", paramLabel = "N", description = "Stop after N records.")
    Long max;

    @Option(names = "--from-beginning", description = "Start at the oldest record (the default).")
    boolean fromBeginning;

    @Option(names = "--latest", description = "Show only records that arrive from now on.")
    boolean latest;

    @Option(names = "--timeout", converter = DurationConverter.class, description = "Stop after this long even if --max was not reached (e.g. 30s).")
    Duration timeout;

    @Option(names = "--compact", description = "One line per record: key, then the value as it is.")
    boolean compact;

    @Override
    public Integer call() throws Exception {
        if (latest && fromBeginning) {
            throw new IllegalArgumentException("--latest and --from-beginning contradict each other");
        }
        PrintWriter out = spec.commandLine().getOut();
        long limit = max == null ? Long.MAX_VALUE : max;
        long deadline = timeout == null ? Long.MAX_VALUE : System.nanoTime() + timeout.toNanos();
        StopSignal stop = StopSignal.onShutdown();
        long shown = 0;
        try (KafkaConsumer<byte[], byte[]> consumer = consumer(kafka.connection(clientConfig.settings()))) {
            List<TopicPartition> partitions = partitions(consumer);
            consumer.assign(partitions);
            if (latest) {
                consumer.seekToEnd(partitions);
            } else {
                consumer.seekToBeginning(partitions);
            }
            while (shown < limit && System.nanoTime() < deadline && !stop.stopRequested()) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    print(out, r);
                    if (++shown >= limit) {
                        break;
                    }
                }
                out.flush();
            }
        } finally {
            stop.finished();
        }
        return 0;
    }

    private List<TopicPartition> partitions(KafkaConsumer<byte[], byte[]> consumer) {
        List<PartitionInfo> infos;
        try {
            infos = consumer.partitionsFor(topic, Duration.ofSeconds(15));
        } catch (org.apache.kafka.common.errors.TimeoutException e) {
            throw new IllegalStateException("cannot reach Kafka at " + kafka.bootstrapServers() + " within 15 s", e);
        }
        if (infos == null || infos.isEmpty()) {
            throw new IllegalStateException("topic " + topic + " does not exist at " + kafka.bootstrapServers());
        }
        List<TopicPartition> partitions = new ArrayList<>();
        infos.forEach(i -> partitions.add(new TopicPartition(i.topic(), i.partition())));
        return partitions;
    }

    private static KafkaConsumer<byte[], byte[]> consumer(KafkaConnection connection) {
        Map<String, Object> p = new HashMap<>();
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, Topics.CHECKPOINT_MAX_MESSAGE_BYTES);
        return new KafkaConsumer<>(connection.consumer(p), new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    private void print(PrintWriter out, ConsumerRecord<byte[], byte[]> r) {
        String key = r.key() == null ? "(null)" : text(r.key());
        String value = r.value() == null ? "(null)" : render(r.value());
        if (compact) {
            out.println(key + "\t" + value.replace('\n', ' '));
            return;
        }
        out.printf("── %s[%d]@%d  %s  key=%s%n", r.topic(), r.partition(), r.offset(), Instant.ofEpochMilli(r.timestamp()), key);
        for (Header h : r.headers()) {
            out.printf("   %s: %s%n", h.key(), h.value() == null ? "(null)" : text(h.value()));
        }
        out.println(value);
    }

    private String render(byte[] value) {
        String s = utf8(value);
        if (s == null) {
            return "<binary, " + value.length + " bytes>";
        }
        if (!compact) {
            try {
                JsonNode node = JSON.readTree(s);
                if (node != null && node.isContainerNode()) {
                    return PRETTY.writeValueAsString(node);
                }
            } catch (JsonProcessingException notJson) {
                // printed as it is below
            }
        }
        return s;
    }

    private static String text(byte[] bytes) {
        String s = utf8(bytes);
        return s != null ? s : "<binary, " + bytes.length + " bytes>";
    }

    private static String utf8(byte[] bytes) {
        try {
            String s = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                if (c < 0x20 && c != '\n' && c != '\r' && c != '\t') {
                    return null;
                }
            }
            return s;
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}
