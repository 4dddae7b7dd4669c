package io.sensorcast.ops;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;

import io.sensorcast.ops.command.DurationConverter;

/**
 * Overrides of a module's documented defaults, layered: {@code --config FILE} (Java properties), then environment
 * variables, then command-line flags. Keys are dotted and prefixed by the service, e.g. {@code ingest.grace=30s};
 * the matching environment variable is {@code SENSORCAST_INGEST_GRACE}. A key the service does not know is an error,
 * so a typo never silently leaves a default in place.
 *
 * <p><b>Kafka client settings</b> pass through to every Kafka client of the service (producers, consumers, Kafka
 * Streams, admin): {@code kafka.<client key>} in the file, e.g. {@code kafka.security.protocol=SASL_SSL}, or
 * {@code SENSORCAST_KAFKA_<KEY>} in the environment, e.g. {@code SENSORCAST_KAFKA_SASL_JAAS_CONFIG} for
 * {@code sasl.jaas.config} (the environment is the place for secrets). Kafka validates them; their values are never
 * logged nor put in an error message here.
 */
public final class Settings {
    private final Map<String, String> values = new LinkedHashMap<>();
    private final Map<String, String> origins = new TreeMap<>();
    private final Map<String, Object> kafkaClient = new TreeMap<>();
    private static final String KAFKA_PREFIX = "kafka.";
    private static final String KAFKA_ENV_PREFIX = "SENSORCAST_KAFKA_";

    private Settings() {
    }

    /**
     * @param known the keys this service understands, e.g. {@code ingest.grace}
     * @param file  an optional properties file
     * @param env   the environment ({@code System.getenv()})
     * @param flags values given as flags, already keyed
     */
    public static Settings load(Set<String> known, Path file, Map<String, String> env, Map<String, String> flags) {
        Settings s = new Settings();
        if (file != null) {
            Properties p = new Properties();
            try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                p.load(in);
            } catch (NoSuchFileException e) {
                throw new IllegalArgumentException("cannot read config " + file + ": no such file", e);
            } catch (IOException | IllegalArgumentException e) {
                throw new IllegalArgumentException("cannot read config " + file + ": " + e.getMessage(), e);
            }
            for (String key : p.stringPropertyNames()) {
                if (key.startsWith(KAFKA_PREFIX) && key.length() > KAFKA_PREFIX.length()) {
                    s.kafkaClient.put(key.substring(KAFKA_PREFIX.length()), p.getProperty(key).trim());
                    continue;
                }
                if (!known.contains(key)) {
                    String expected = known.isEmpty() ? "only kafka.<client key> settings here"
                            : "known: " + String.join(", ", new TreeMap<>(toMap(known)).keySet());
                    throw new IllegalArgumentException("unknown setting '" + key + "' in " + file + " (" + expected + ")");
                }
                s.put(key, p.getProperty(key).trim(), file.toString());
            }
        }
        for (String key : known) {
            String v = env.get(envName(key));
            if (v != null && !v.isBlank()) {
                s.put(key, v.trim(), "env " + envName(key));
            }
        }
        env.forEach((name, v) -> {
            // SENSORCAST_KAFKA_SASL_JAAS_CONFIG → sasl.jaas.config: client keys are lower case and dotted
            if (name.startsWith(KAFKA_ENV_PREFIX) && name.length() > KAFKA_ENV_PREFIX.length() && v != null && !v.isBlank()) {
                s.kafkaClient.put(name.substring(KAFKA_ENV_PREFIX.length()).toLowerCase(Locale.ROOT).replace('_', '.'), v.trim());
            }
        });
        flags.forEach((k, v) -> {
            if (v != null) {
                s.put(k, v, "flag");
            }
        });
        return s;
    }

    /** For a command with no settings of its own ({@code produce}, {@code consume}, …): only Kafka client settings. */
    public static Settings kafkaClientOnly(Path file, Map<String, String> env) {
        return load(Set.of(), file, env, Map.of());
    }

    private static Map<String, String> toMap(Set<String> keys) {
        Map<String, String> m = new LinkedHashMap<>();
        keys.forEach(k -> m.put(k, ""));
        return m;
    }

    /** {@code ingest.max-gap} → {@code SENSORCAST_INGEST_MAX_GAP}. */
    public static String envName(String key) {
        return "SENSORCAST_" + key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    private void put(String key, String value, String origin) {
        values.put(key, value);
        origins.put(key, origin);
    }

    public boolean has(String key) {
        return values.containsKey(key);
    }

    public String string(String key) {
        return values.get(key);
    }

    public Duration duration(String key) {
        try {
            return DurationConverter.parse(values.get(key));
        } catch (RuntimeException e) {
            throw invalid(key, "a duration such as 30s, 5m, 1h");
        }
    }

    public int integer(String key) {
        try {
            return Integer.parseInt(values.get(key));
        } catch (NumberFormatException e) {
            throw invalid(key, "an integer");
        }
    }

    public double decimal(String key) {
        try {
            return Double.parseDouble(values.get(key));
        } catch (NumberFormatException e) {
            throw invalid(key, "a number");
        }
    }

    public boolean bool(String key) {
        String v = values.get(key).toLowerCase(Locale.ROOT);
        if (!v.equals("true") && !v.equals("false")) {
            throw invalid(key, "true or false");
        }
        return Boolean.parseBoolean(v);
    }

    private IllegalArgumentException invalid(String key, String expected) {
        return new IllegalArgumentException(key + "='" + values.get(key) + "' (from " + origins.get(key) + ") is not " + expected);
    }

    /** The Kafka client settings to pass to every client ({@code kafka.*} keys and {@code SENSORCAST_KAFKA_*}); may hold secrets. */
    public Map<String, Object> kafkaClient() {
        return java.util.Collections.unmodifiableMap(kafkaClient);
    }

    /** Where each overridden key came from, for the start-up log line. */
    public Map<String, String> origins() {
        return origins;
    }
}
