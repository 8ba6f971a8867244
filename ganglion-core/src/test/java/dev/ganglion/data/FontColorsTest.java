package dev.ganglion.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class FontColorsTest {

    @ParameterizedTest(name = "luma rule: rgb({0},{1},{2}) -> {3}")
    @CsvSource({
            "0,0,0,1",        // black background: light font
            "255,255,255,0",  // white: dark font
            "255,255,0,0",    // yellow: Y' = 225.9
            "0,0,255,1",      // blue: Y' = 29.1
            "255,0,0,1",      // red: Y' = 76.2
            "0,255,0,0",      // green: Y' = 149.7
            "130,130,130,0",  // light grey: Y' = 130
            "127,127,127,1"}) // just darker
    void knownColoursByLuma(int r, int g, int b, int expected) {
        assertThat(FontColors.label(FontColors.Rule.LUMA, r, g, b)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "WCAG rule: rgb({0},{1},{2}) -> {3}")
    @CsvSource({
            "0,0,0,1",        // black background: light font
            "255,255,255,0",  // white: dark font
            "255,255,0,0",    // yellow (L = 0.93)
            "0,0,255,1",      // blue (L = 0.07)
            "255,0,0,0",      // red (L = 0.2126, just above the threshold 0.179)
            "0,255,0,0",      // green (L = 0.72)
            "128,128,128,0",  // mid grey: L = 0.216
            "100,100,100,1"}) // darker grey: L = 0.127
    void knownColoursByWcag(int r, int g, int b, int expected) {
        assertThat(FontColors.label(FontColors.Rule.WCAG, r, g, b)).isEqualTo(expected);
    }

    @Test
    void lumaIsTheBt601WeightedSum() {
        assertThat(FontColors.luma(255, 255, 255)).isCloseTo(255.0, within(1e-9));
        assertThat(FontColors.luma(10, 20, 30)).isCloseTo(0.299 * 10 + 0.587 * 20 + 0.114 * 30, within(1e-12));
    }

    @Test
    void luminanceOfReferenceColours() {
        assertThat(FontColors.relativeLuminance(0, 0, 0)).isEqualTo(0.0);
        assertThat(FontColors.relativeLuminance(255, 255, 255)).isCloseTo(1.0, within(1e-12));
        assertThat(FontColors.relativeLuminance(255, 255, 0)).isCloseTo(0.9278, within(1e-12));
        assertThat(FontColors.relativeLuminance(0, 0, 255)).isCloseTo(0.0722, within(1e-12));
        // sRGB 128 linearises to 0.2158605
        assertThat(FontColors.relativeLuminance(128, 128, 128)).isCloseTo(0.2158605, within(1e-6));
        // the linear segment below 0.04045: 10/255/12.92
        assertThat(FontColors.relativeLuminance(10, 10, 10)).isCloseTo(10 / 255.0 / 12.92, within(1e-12));
    }

    @Test
    void theWcagThresholdIsWhereBlackAndWhiteTextHaveEqualContrast() {
        double l = FontColors.WCAG_THRESHOLD;
        assertThat(l).isCloseTo(Math.sqrt(1.05 * 0.05) - 0.05, within(1e-15));
        assertThat((1.05) / (l + 0.05)).isCloseTo((l + 0.05) / 0.05, within(1e-12));
    }

    @Test
    void wcagLabelsFollowTheContrastRuleOnRandomColours() {
        SplittableRandom rng = new SplittableRandom(1);
        for (int i = 0; i < 2000; i++) {
            int r = rng.nextInt(256), g = rng.nextInt(256), b = rng.nextInt(256);
            double lum = FontColors.relativeLuminance(r, g, b);
            boolean whiteContrastsBetter = 1.05 / (lum + 0.05) > (lum + 0.05) / 0.05;
            assertThat(FontColors.label(FontColors.Rule.WCAG, r, g, b)).isEqualTo(whiteContrastsBetter ? 1 : 0);
        }
    }

    @Test
    void theWcagVariantIsGeneratedByItsRule() {
        Dataset d = FontColors.generate(300, 8, FontColors.Rule.WCAG);
        for (int i = 0; i < 300; i++) {
            float r = d.features().get(i, 0), g = d.features().get(i, 1), b = d.features().get(i, 2);
            assertThat(d.targets().get(i, 0)).isEqualTo((float) FontColors.label(FontColors.Rule.WCAG, r, g, b));
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
            assertThat(a.targets().get(i, 0)).isEqualTo((float) FontColors.label(FontColors.Rule.LUMA, r, g, bl));
            ones += (int) a.targets().get(i, 0);
        }
        // both classes are well represented
        assertThat(ones).isBetween(150, 350);
    }
}
