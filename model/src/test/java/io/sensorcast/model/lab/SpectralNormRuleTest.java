package io.sensorcast.model.lab;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class SpectralNormRuleTest {
    private static final SpectralNormRule RULE = new SpectralNormRule(1.0, 1.25, 10, 3);

    @Test
    void shouldFireAfterHoldingForWhenNormIsAboveOneAndGrewByAQuarter() {
        // σ = 1.0 for steps 0..9, then 1.3: from step 10 on 1.3 > 1.25 × 1.0 (σ ten steps back); held 3 steps → fires at 12
        List<Double> sigma = new ArrayList<>();
        for (int s = 0; s < 30; s++) {
            sigma.add(s < 10 ? 1.0 : 1.3);
        }
        assertEquals(12, RULE.firstFiring(sigma));
        assertEquals(10, RULE.firstCondition(sigma));
    }

    @Test
    void shouldNotFireWhenNormIsHighButSteady() {
        assertEquals(-1, RULE.firstFiring(new ArrayList<>(java.util.Collections.nCopies(40, 2.0))));
    }

    @Test
    void shouldNotFireWhenNormGrowsBelowOne() {
        List<Double> sigma = new ArrayList<>();
        for (int s = 0; s < 40; s++) {
            sigma.add(0.3 + 0.015 * s); // reaches 0.885 at step 39: grows > 25% per 10 steps, never above 1
        }
        assertEquals(-1, RULE.firstFiring(sigma));
    }
}
