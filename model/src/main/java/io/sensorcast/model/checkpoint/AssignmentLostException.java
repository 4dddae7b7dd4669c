package io.sensorcast.model.checkpoint;

import org.apache.kafka.common.errors.RetriableException;

/**
 * The trainer's partitions were taken away mid-transaction (its group membership expired, e.g. while the broker was
 * away): the network is ahead of the committed offsets, so the loop ends and is started again from the last
 * checkpoint and committed offsets. Retriable: that restart is the whole remedy.
 */
public final class AssignmentLostException extends RetriableException {
    public AssignmentLostException(String message) {
        super(message);
    }
}
