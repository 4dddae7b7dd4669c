package io.sensorcast.model.checkpoint;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The parsed payload's numbers as the row vectors DL4J's {@code init} and updater expect. */
final class ModelPayloadArrays {
    private ModelPayloadArrays() {
    }

    static INDArray params(ModelPayload.Parsed p) {
        INDArray a = p.dataType() == DataType.FLOAT ? Nd4j.createFromArray(p.floatParams())
                : Nd4j.createFromArray(p.doubleParams());
        return a.reshape(1, p.paramCount());
    }

    static INDArray state(ModelPayload.Parsed p) {
        INDArray a = p.dataType() == DataType.FLOAT ? Nd4j.createFromArray(p.floatState())
                : Nd4j.createFromArray(p.doubleState());
        return a.reshape(1, p.stateCount());
    }
}
