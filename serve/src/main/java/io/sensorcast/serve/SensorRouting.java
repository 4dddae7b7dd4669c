package io.sensorcast.serve;

import java.util.List;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/** Sensor id → model id: the first matching {@link RoutingRule}, else the default model id. */
final class SensorRouting {
    private final List<Predicate<String>> matchers;
    private final List<String> models;
    private final String defaultModelId;

    SensorRouting(List<RoutingRule> rules, String defaultModelId) {
        this.matchers = rules.stream().<Predicate<String>>map(r -> r.kind() == RoutingRule.Kind.PREFIX
                ? s -> s.startsWith(r.pattern())
                : Pattern.compile(r.pattern()).asMatchPredicate()).toList();
        this.models = rules.stream().map(RoutingRule::modelId).toList();
        this.defaultModelId = defaultModelId;
    }

    String modelFor(String sensor) {
        for (int i = 0; i < matchers.size(); i++) {
            if (matchers.get(i).test(sensor)) {
                return models.get(i);
            }
        }
        return defaultModelId;
    }
}
