package dev.ganglion.plot;

import dev.ganglion.model.Model;
import dev.ganglion.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.awt.Color;
import java.awt.geom.Point2D;
import java.awt.image.BufferedImage;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The decision-boundary picture shows what the model predicts: the pixel at a point in raw
 * feature units has the colour of the class the model predicts for that point.
 */
class DecisionBoundaryColourTest {

    @Test
    void shadingAtKnownPointsMatchesThePredictedClass() {
        Model xor = XorModel.build();
        // data only at the corners: points drawn there, so probe between them
        DecisionBoundary.Built b = DecisionBoundary.build(xor, XorModel.points(), XorModel.labels());
        BufferedImage img = b.picture().toImage();
        double[][] probes = {{2.5, 2.0}, {7.5, 2.0}, {2.0, 7.5}, {7.5, 8.0}, {5.0, 0.8}};
        int[] expected = {0, 1, 1, 0, 1};
        Tensor raw = Tensor.of(new float[][]{{2.5f, 2.0f}, {7.5f, 2.0f}, {2.0f, 7.5f}, {7.5f, 8.0f}, {5.0f, 0.8f}});
        int[] predicted = xor.classify(xor.predict(raw));
        assertThat(predicted).containsExactly(expected);
        for (int i = 0; i < probes.length; i++) {
            Point2D px = b.pixelOf(probes[i][0], probes[i][1]);
            Color c = new Color(img.getRGB((int) Math.round(px.getX()), (int) Math.round(px.getY())));
            int nearest = nearestClass(c);
            assertThat(nearest).as("class shown at raw (%s, %s), pixel %s, colour %s", probes[i][0], probes[i][1], px, c)
                    .isEqualTo(predicted[i]);
        }
    }

    /** Which class colour a pale tint is a tint of: the one with the most similar direction from white. */
    private static int nearestClass(Color c) {
        double best = -2;
        int arg = -1;
        for (int k = 0; k < 2; k++) {
            Color base = Style.classColor(k);
            double[] u = {255 - c.getRed(), 255 - c.getGreen(), 255 - c.getBlue()};
            double[] v = {255 - base.getRed(), 255 - base.getGreen(), 255 - base.getBlue()};
            double cos = (u[0] * v[0] + u[1] * v[1] + u[2] * v[2])
                    / (Math.sqrt(u[0] * u[0] + u[1] * u[1] + u[2] * u[2]) * Math.sqrt(v[0] * v[0] + v[1] * v[1] + v[2] * v[2]) + 1e-9);
            if (cos > best) {
                best = cos;
                arg = k;
            }
        }
        assertThat(best).as("colour %s is a tint of a class colour", c).isGreaterThan(0.98);
        return arg;
    }
}
