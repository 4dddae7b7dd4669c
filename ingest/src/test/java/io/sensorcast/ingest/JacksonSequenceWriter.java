package io.sensorcast.ingest;

import java.io.IOException;
import java.io.UncheckedIOException;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;

/** The sequence writer before the hand-written one, through Jackson's generator: the reference it is tested and measured against. */
final class JacksonSequenceWriter {
    private static final JsonFactory JSON = JsonFactory.builder().enable(StreamWriteFeature.USE_FAST_DOUBLE_WRITER).build();

    private JacksonSequenceWriter() {
    }

    static byte[] toBytes(SensorSequence s) {
        try (ByteArrayBuilder out = new ByteArrayBuilder(64 + s.values().length * 14);
             JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("sensor", s.sensor());
            g.writeNumberField("end", s.end());
            g.writeNumberField("stepMs", s.stepMs());
            g.writeArrayFieldStart("values");
            for (float v : s.values()) {
                g.writeNumber(v);
            }
            g.writeEndArray();
            g.writeArrayFieldStart("observed");
            for (byte o : s.observed()) {
                g.writeNumber(o);
            }
            g.writeEndArray();
            g.writeNumberField("mean", s.mean());
            g.writeNumberField("std", s.std());
            g.writeNumberField("arrivedAt", s.arrivedAt());
            g.writeEndObject();
            g.flush();
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
