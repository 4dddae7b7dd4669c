package io.sensorcast.serve;

import java.io.IOException;
import java.io.UncheckedIOException;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;

/** The forecast writer before the hand-written one, through Jackson's generator: the reference it is tested and measured against. */
final class JacksonForecastWriter {
    private static final JsonFactory JSON = JsonFactory.builder().enable(StreamWriteFeature.USE_FAST_DOUBLE_WRITER).build();

    private JacksonForecastWriter() {
    }

    static byte[] toJson(Forecast f) {
        try (ByteArrayBuilder out = new ByteArrayBuilder(160 + f.points().size() * 80);
             JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("sensor", f.sensor());
            g.writeNumberField("issuedAt", f.issuedAt());
            g.writeNumberField("stepMs", f.stepMs());
            g.writeStringField("model", f.model());
            if (f.modelVersion() == null) {
                g.writeNullField("modelVersion");
            } else {
                g.writeNumberField("modelVersion", f.modelVersion());
            }
            g.writeStringField("method", f.method());
            g.writeArrayFieldStart("points");
            for (Forecast.Point p : f.points()) {
                g.writeStartObject();
                g.writeNumberField("ts", p.ts());
                g.writeNumberField("value", p.value());
                g.writeNumberField("lo", p.lo());
                g.writeNumberField("hi", p.hi());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
            g.flush();
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
