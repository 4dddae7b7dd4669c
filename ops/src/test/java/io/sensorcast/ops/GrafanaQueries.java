package io.sensorcast.ops;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

/**
 * The PromQL Grafana sends to Prometheus for Sensorcast: every panel target and annotation of the dashboards in
 * {@code ops/grafana/dashboards}, and the Prometheus queries of the Grafana-managed alert rules in
 * {@code ops/grafana/provisioning/alerting}, with Grafana's variables filled in as Grafana would fill them.
 */
final class GrafanaQueries {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{(\\w+)}|\\$(\\w+)");

    /** One query and where it comes from, e.g. {@code training-health.json panel "Clip rate" A}. */
    record Query(String source, String expr) {
        @Override
        public String toString() {
            return source + ": " + expr;
        }
    }

    /**
     * Grafana's built-in variables for a dashboard viewed with a given {@code $__interval} over a time range of
     * {@code range}, on a data source whose scrape interval is {@code scrapeInterval}.
     */
    record Builtins(Duration interval, Duration scrapeInterval, Duration range) {
        /** Grafana's definition: max($__interval + scrape interval, 4 × scrape interval). */
        Duration rateInterval() {
            Duration a = interval.plus(scrapeInterval);
            Duration b = scrapeInterval.multipliedBy(4);
            return a.compareTo(b) >= 0 ? a : b;
        }

        Map<String, String> values() {
            Map<String, String> v = new LinkedHashMap<>();
            v.put("__rate_interval", rateInterval().toSeconds() + "s");
            v.put("__interval", interval.toSeconds() + "s");
            v.put("__interval_ms", Long.toString(interval.toMillis()));
            v.put("__range", range.toSeconds() + "s");
            v.put("__range_s", Long.toString(range.toSeconds()));
            v.put("__range_ms", Long.toString(range.toMillis()));
            return v;
        }
    }

    private GrafanaQueries() {
    }

    /** Every target {@code expr} of every panel (rows and nested panels included) of every dashboard in {@code dir}. */
    static List<Query> panels(Path dir, Builtins builtins) throws IOException {
        List<Query> queries = new ArrayList<>();
        for (Path file : files(dir, ".json")) {
            JsonNode dashboard = JSON.readTree(file.toFile());
            Map<String, String> values = variables(dashboard, builtins);
            collectPanels(file.getFileName().toString(), dashboard.path("panels"), values, queries);
        }
        return queries;
    }

    /** Every Prometheus annotation query of every dashboard in {@code dir}. */
    static List<Query> annotations(Path dir, Builtins builtins) throws IOException {
        List<Query> queries = new ArrayList<>();
        for (Path file : files(dir, ".json")) {
            JsonNode dashboard = JSON.readTree(file.toFile());
            Map<String, String> values = variables(dashboard, builtins);
            for (JsonNode a : dashboard.path("annotations").path("list")) {
                if (a.hasNonNull("expr")) {
                    queries.add(new Query(file.getFileName() + " annotation \"" + a.path("name").asText() + "\"",
                            substitute(a.get("expr").asText(), values)));
                }
            }
        }
        return queries;
    }

    /** The Prometheus queries (not the server-side expressions) of every provisioned Grafana-managed alert rule. */
    static List<Query> alertRules(Path dir, Builtins builtins) throws IOException {
        List<Query> queries = new ArrayList<>();
        for (Path file : files(dir, ".yml")) {
            for (JsonNode group : YAML.readTree(file.toFile()).path("groups")) {
                for (JsonNode rule : group.path("rules")) {
                    for (JsonNode data : rule.path("data")) {
                        JsonNode model = data.path("model");
                        if (model.hasNonNull("expr")) {
                            queries.add(new Query(file.getFileName() + " rule \"" + rule.path("title").asText() + "\" "
                                    + data.path("refId").asText(), substitute(model.get("expr").asText(), builtins.values())));
                        }
                    }
                }
            }
        }
        return queries;
    }

    private static void collectPanels(String file, JsonNode panels, Map<String, String> values, List<Query> into) {
        for (JsonNode panel : panels) {
            for (JsonNode target : panel.path("targets")) {
                if (target.hasNonNull("expr")) {
                    into.add(new Query(file + " panel \"" + panel.path("title").asText() + "\" " + target.path("refId").asText(),
                            substitute(target.get("expr").asText(), values)));
                }
            }
            collectPanels(file, panel.path("panels"), values, into);
        }
    }

    /**
     * The built-ins plus the dashboard's template variables at "All" (their {@code allValue}, or Grafana's default
     * regex {@code .*}), or at their current value when they have no "All".
     */
    private static Map<String, String> variables(JsonNode dashboard, Builtins builtins) {
        Map<String, String> values = new LinkedHashMap<>(builtins.values());
        for (JsonNode v : dashboard.path("templating").path("list")) {
            String value;
            if (v.path("includeAll").asBoolean()) {
                value = v.hasNonNull("allValue") ? v.get("allValue").asText() : ".*";
            } else {
                JsonNode current = v.path("current").path("value");
                value = current.isArray() ? current.path(0).asText() : current.asText();
            }
            values.put(v.path("name").asText(), value);
        }
        return values;
    }

    /** Replaces {@code $name} and {@code ${name}}; a variable nobody defined is an error, not an empty string. */
    static String substitute(String expr, Map<String, String> values) {
        Matcher m = VARIABLE.matcher(expr);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String name = m.group(1) != null ? m.group(1) : m.group(2);
            String value = values.get(name);
            if (value == null) {
                throw new IllegalArgumentException("unknown Grafana variable $" + name + " in " + expr);
            }
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        return m.appendTail(out).toString();
    }

    private static List<Path> files(Path dir, String suffix) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(suffix)).sorted(Comparator.naturalOrder()).toList();
        }
    }
}
