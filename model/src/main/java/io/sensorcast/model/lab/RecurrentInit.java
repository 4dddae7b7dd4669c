package io.sensorcast.model.lab;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Random;

/**
 * Recurrent initialisations the lab needs beyond {@link io.sensorcast.model.ForecastNetworkFactory}'s: a random
 * orthogonal matrix scaled by ρ (Saxe et al. 2014). For ρ·Q with Q orthogonal every singular value and every
 * eigenvalue has modulus ρ, so "spectral radius ρ" and "spectral norm ρ" (what the trainer exports) coincide and the
 * linearised backward map shrinks or stretches every direction by exactly ρ per step: the cleanest form of Pascanu et
 * al.'s condition (σ₁ &lt; 1 vanishes, &gt; 1 may explode).
 */
public final class RecurrentInit {
    private RecurrentInit() {
    }

    /** A seeded {@code n × n} matrix {@code radius · Q}, Q orthogonal (Gram–Schmidt on a Gaussian matrix), row-major. */
    public static double[][] scaledOrthogonal(int n, double radius, long seed) {
        Random random = new Random(seed);
        double[][] q = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                q[i][j] = random.nextGaussian();
            }
        }
        // modified Gram–Schmidt over the rows: each row orthogonalised against the earlier ones, then normalised
        for (int i = 0; i < n; i++) {
            for (int p = 0; p < i; p++) {
                double dot = 0;
                for (int j = 0; j < n; j++) {
                    dot += q[i][j] * q[p][j];
                }
                for (int j = 0; j < n; j++) {
                    q[i][j] -= dot * q[p][j];
                }
            }
            double norm = 0;
            for (int j = 0; j < n; j++) {
                norm += q[i][j] * q[i][j];
            }
            norm = Math.sqrt(norm);
            for (int j = 0; j < n; j++) {
                q[i][j] /= norm;
            }
        }
        for (double[] row : q) {
            for (int j = 0; j < n; j++) {
                row[j] *= radius;
            }
        }
        return q;
    }

    /** Overwrites recurrent layer {@code layer}'s {@code RW} parameter (a SimpleRnn's square matrix) with {@code m}. */
    public static void setRecurrentWeights(MultiLayerNetwork net, int layer, double[][] m) {
        net.getLayer(layer).getParam("RW").assign(Nd4j.createFromArray(m).castTo(net.params().dataType()));
    }
}
