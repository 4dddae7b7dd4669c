package io.sensorcast.ops.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class SeriesSplitTest {
    @Test
    void shouldReadRowCountsAndLeaveLaterRowsUnused() {
        assertEquals(new SeriesSplit(8640, 2880, 2880), SeriesSplit.parse("8640,2880,2880", 17420));
    }

    @Test
    void shouldReadFractionsOfTheRows() {
        assertEquals(new SeriesSplit(600, 200, 200), SeriesSplit.parse("0.6,0.2,0.2", 1000));
    }

    @Test
    void shouldRejectASplitLongerThanTheSeries() {
        assertThrows(IllegalArgumentException.class, () -> SeriesSplit.parse("800,200,200", 1000));
    }
}
