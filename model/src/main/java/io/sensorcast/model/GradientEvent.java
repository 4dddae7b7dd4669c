package io.sensorcast.model;

import java.util.Locale;
import java.util.Map;

/**
 * One record of the {@code gradient-events} topic (DESIGN.md), key = model id:
 * <pre>{@code {"model","step","ts","kind":"norm_spike|nonfinite|loss_spike","preClipNorm","postClipNorm","threshold",
 *  "medianNorm","loss","layerNorms":{…},"action":"clipped|skipped|rolled_back","learningRate"}}</pre>
 * One record per event, not per clipped step. Norms are in minibatch-mean units (the clip threshold's units,
 * {@link ModelConfig#DEFAULT_CLIP_THRESHOLD}); {@code loss} is the step's training MSE (PyTorch {@code mse_loss}
 * units); {@code layerNorms} are keyed by DL4J layer index ({@code "0"}, …, the output layer last);
 * {@code learningRate} is the rate in force after the action. Non-finite numbers are written as {@code null}.
 */
public record GradientEvent(String model, long step, long ts, Kind kind, double preClipNorm, double postClipNorm,
                            double threshold, double medianNorm, double loss, Map<String, Double> layerNorms,
                            Action action, double learningRate) {

    /** What was detected. */
    public enum Kind {
        NORM_SPIKE("norm_spike"), NONFINITE("nonfinite"), LOSS_SPIKE("loss_spike");

        private final String code;

        Kind(String code) {
            this.code = code;
        }

        public String code() {
            return code;
        }
    }

    /** What the trainer did about it. */
    public enum Action {
        CLIPPED("clipped"), SKIPPED("skipped"), ROLLED_BACK("rolled_back");

        private final String code;

        Action(String code) {
            this.code = code;
        }

        public String code() {
            return code;
        }
    }

    public GradientEvent {
        layerNorms = Map.copyOf(layerNorms);
    }

    /** The wire form; layer norms in ascending layer order. */
    public String toJson() {
        StringBuilder sb = new StringBuilder(256);
        sb.append("{\"model\":");
        string(sb, model);
        sb.append(",\"step\":").append(step)
                .append(",\"ts\":").append(ts)
                .append(",\"kind\":\"").append(kind.code()).append('"');
        number(sb.append(",\"preClipNorm\":"), preClipNorm);
        number(sb.append(",\"postClipNorm\":"), postClipNorm);
        number(sb.append(",\"threshold\":"), threshold);
        number(sb.append(",\"medianNorm\":"), medianNorm);
        number(sb.append(",\"loss\":"), loss);
        sb.append(",\"layerNorms\":{");
        boolean first = true;
        for (String key : layerNorms.keySet().stream().sorted(GradientEvent::compareLayerKeys).toList()) {
            if (!first) {
                sb.append(',');
            }
            first = false;
            string(sb, key);
            number(sb.append(':'), layerNorms.get(key));
        }
        sb.append("},\"action\":\"").append(action.code()).append('"');
        number(sb.append(",\"learningRate\":"), learningRate);
        return sb.append('}').toString();
    }

    private static int compareLayerKeys(String a, String b) {
        try {
            return Integer.compare(Integer.parseInt(a), Integer.parseInt(b));
        } catch (NumberFormatException e) {
            return a.compareTo(b);
        }
    }

    private static void number(StringBuilder sb, double v) {
        if (Double.isFinite(v)) {
            sb.append(v);
        } else {
            sb.append("null");
        }
    }

    private static void string(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }
}
