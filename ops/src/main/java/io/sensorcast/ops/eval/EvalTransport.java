package io.sensorcast.ops.eval;

import io.sensorcast.serve.ServeConfig;

/**
 * How eval reaches the services' topologies: everything else in a run (replayed readings, training, scoring) is the
 * same whatever the transport, so the two give the same report up to floating-point noise.
 */
public interface EvalTransport {
    /** In process through Kafka Streams' {@code TopologyTestDriver}: no broker needed. */
    EvalTransport IN_PROCESS = new EvalTransport() {
        @Override
        public IngestReplay ingest() {
            return new InProcessIngestReplay();
        }

        @Override
        public ServeReplay serve(ServeConfig config, String role) {
            return new InProcessServeReplay(config);
        }

        @Override
        public String toString() {
            return "in process";
        }
    };

    IngestReplay ingest();

    /**
     * A fresh serve instance (no model, empty ledgers).
     *
     * @param role what it serves in this run, e.g. {@code frozen}: names its topics where there are topics
     */
    ServeReplay serve(ServeConfig config, String role);
}
