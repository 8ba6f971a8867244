package dev.ganglion.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class FontColorsTest {

    @ParameterizedTest(name = "rgb({0},{1},{2}) -> {3}")
    @CsvSource({
            "0,0,0,1",        // black background: light font
            "255,255,255,0",  // white: dark font
            "255,255,0,0",    // yellow (L = 0.93)
            "0,0,255,1",      // blue (L = 0.07)
            "255,0,0,0",      // red (L = 0.2126, just above the threshold 0.179)
            "0,255,0,0",      // green (L = 0.72)
            "128,128,128,0",  // mid grey: L = 0.216
            "100,100,100,1"}) // darker grey: L = 0.127
    void knownColours(int r, int g, int b, int expected) {
        assertThat(FontColors.label(r, g, b)).isEqualTo(expected);
    }

    @Test
    void luminanceOfReferenceColours() {
        assertThat(FontColors.luminance(0, 0, 0)).isEqualTo(0.0);
        assertThat(FontColors.luminance(255, 255, 255)).isCloseTo(1.0, within(1e-12));
        assertThat(FontColors.luminance(255, 255, 0)).isCloseTo(0.9278, within(1e-12));
        assertThat(FontColors.luminance(0, 0, 255)).isCloseTo(0.0722, within(1e-12));
        // sRGB 128 linearises to 0.2158605
        assertThat(FontColors.luminance(128, 128, 128)).isCloseTo(0.2158605, within(1e-6));
        // the linear segment below 0.04045: 10/255/12.92
        assertThat(FontColors.luminance(10, 10, 10)).isCloseTo(10 / 255.0 / 12.92, within(1e-12));
    }

    @Test
    void theThresholdIsWhereBlackAndWhiteTextHaveEqualContrast() {
        double l = FontColors.LUMINANCE_THRESHOLD;
        assertThat(l).isCloseTo(Math.sqrt(1.05 * 0.05) - 0.05, within(1e-15));
        assertThat((1.05) / (l + 0.05)).isCloseTo((l + 0.05) / 0.05, within(1e-12));
    }

    @Test
    void labelsFollowTheContrastRuleOnRandomColours() {
        SplittableRandom rng = new SplittableRandom(1);
        for (int i = 0; i < 2000; i++) {
            int r = rng.nextInt(256), g = rng.nextInt(256), b = rng.nextInt(256);
            double lum = FontColors.luminance(r, g, b);
            boolean whiteContrastsBetter = 1.05 / (lum + 0.05) > (lum + 0.05) / 0.05;
            assertThat(FontColors.label(r, g, b)).isEqualTo(whiteContrastsBetter ? 1 : 0);
        }
    }

    @Test
    void generateIsSeededIntegerValuedAndLabelledByTheRule() {
        Dataset a = FontColors.generate(500, 3), b = FontColors.generate(500, 3), c = FontColors.generate(500, 4);
        assertThat(a.features().shape().dims()).containsExactly(500, 3);
        assertThat(a.targets().shape().dims()).containsExactly(500, 1);
        assertThat(a.features().data()).containsExactly(b.features().data());
        assertThat(a.features().data()).isNotEqualTo(c.features().data());
        int ones = 0;
        for (int i = 0; i < 500; i++) {
            float r = a.features().get(i, 0), g = a.features().get(i, 1), bl = a.features().get(i, 2);
            for (float v : new float[]{r, g, bl}) assertThat(v).isBetween(0f, 255f).isEqualTo((float) Math.rint(v));
            assertThat(a.targets().get(i, 0)).isEqualTo((float) FontColors.label(r, g, bl));
            ones += (int) a.targets().get(i, 0);
        }
        // both classes are well represented
        assertThat(ones).isBetween(150, 350);
    }
}
