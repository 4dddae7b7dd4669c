package io.sensorcast.serve;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Routes sensors to a model id: by sensor-id prefix or by a regular expression that must match the whole id.
 * Text form (for config files and flags): {@code prefix:pump-=pumps} or {@code regex:.*\.temp=temperatures}; the
 * model id is what follows the last {@code =}.
 *
 * <pre>{@code
 * RoutingRule.parse("prefix:pump-=pumps").matches("pump-7.temp")   // true
 * RoutingRule.parse("regex:.*\\.temp=temps").matches("fan-1.rpm")  // false
 * }</pre>
 */
public record RoutingRule(Kind kind, String pattern, String modelId) {
    public enum Kind { PREFIX, REGEX }

    public RoutingRule {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(pattern, "pattern");
        if (modelId == null || modelId.isBlank()) {
            throw new IllegalArgumentException("routing rule needs a model id");
        }
        if (kind == Kind.REGEX) {
            Pattern.compile(pattern); // fail at configuration time, not on the first record
        }
    }

    public static RoutingRule prefix(String prefix, String modelId) {
        return new RoutingRule(Kind.PREFIX, prefix, modelId);
    }

    public static RoutingRule regex(String regex, String modelId) {
        return new RoutingRule(Kind.REGEX, regex, modelId);
    }

    /** Parses {@code prefix:<prefix>=<model>} or {@code regex:<regex>=<model>}. */
    public static RoutingRule parse(String text) {
        int colon = text.indexOf(':');
        int eq = text.lastIndexOf('=');
        if (colon < 0 || eq < colon) {
            throw new IllegalArgumentException("routing rule '" + text + "' is not prefix:<prefix>=<model> or regex:<regex>=<model>");
        }
        String kind = text.substring(0, colon);
        String pattern = text.substring(colon + 1, eq);
        String model = text.substring(eq + 1);
        return switch (kind) {
            case "prefix" -> prefix(pattern, model);
            case "regex" -> regex(pattern, model);
            default -> throw new IllegalArgumentException("routing rule kind '" + kind + "' is not prefix or regex");
        };
    }

    public boolean matches(String sensor) {
        return kind == Kind.PREFIX ? sensor.startsWith(pattern) : Pattern.matches(pattern, sensor);
    }
}
