package io.sensorcast.ingest;

import java.nio.charset.StandardCharsets;

/**
 * One sensor reading as it travels on {@code sensor-readings}:
 * {@code {"sensor":"pump-7.temp","ts":1732440000000,"value":71.3}} with {@code ts} in epoch milliseconds (UTC).
 */
public record Reading(String sensor, long ts, double value) {

    /** The wire form of DESIGN.md; the sensor id is escaped, the value written as a JSON number. */
    public String toJson() {
        StringBuilder sb = new StringBuilder(64 + sensor.length());
        sb.append("{\"sensor\":");
        appendJsonString(sb, sensor);
        sb.append(",\"ts\":").append(ts).append(",\"value\":").append(value).append('}');
        return sb.toString();
    }

    public byte[] toJsonBytes() {
        return toJson().getBytes(StandardCharsets.UTF_8);
    }

    static void appendJsonString(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }
}
