package io.sensorcast.kafka;

/** The cluster did not answer in time; the message says where we looked and for how long. */
public class KafkaUnreachableException extends RuntimeException {
    public KafkaUnreachableException(String message, Throwable cause) {
        super(message, cause);
    }
}
