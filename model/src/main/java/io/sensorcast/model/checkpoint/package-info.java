/**
 * Verified model checkpoints and the trainer's Kafka loop.
 *
 * <ul>
 *   <li>{@link io.sensorcast.model.checkpoint.CheckpointEnvelope} / {@link io.sensorcast.model.checkpoint.CheckpointCodec}:
 *       the binary envelope of {@code model-checkpoints} (magic, format version, JSON header, SHA-256, optional
 *       HMAC-SHA256, payload) and its checks, in order, as values ({@code Verified | Rejected(reason, detail)}).</li>
 *   <li>{@link io.sensorcast.model.checkpoint.ModelPayload}: the network as raw numbers plus JSON configuration;
 *       no Java serialisation, so no {@code ObjectInputStream} is ever reached from the topic.</li>
 *   <li>{@link io.sensorcast.model.checkpoint.CheckpointVerifier}: bytes to a restored network, for serving and resume.</li>
 *   <li>{@link io.sensorcast.model.checkpoint.CheckpointPublisher}: the health gate, versions, the transaction.</li>
 *   <li>{@link io.sensorcast.model.checkpoint.LatestCheckpointReader}: the newest verified checkpoint per model.</li>
 *   <li>{@link io.sensorcast.model.checkpoint.TrainerLoop}: consume, train through a
 *       {@link io.sensorcast.model.checkpoint.BatchTrainer}, commit offsets, events and checkpoints together.</li>
 * </ul>
 * Independent of the learning core: it sees DL4J's {@code MultiLayerNetwork} and plain values only.
 */
package io.sensorcast.model.checkpoint;
