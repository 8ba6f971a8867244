package dev.ganglion.cli;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code ganglion train --report DIR} opened in a real headless Chromium: the page loads without
 * console errors, every picture decodes, and a screenshot shows a page that is not blank.
 */
class ReportBrowserTest {
    static final int WIDTH = 1200, HEIGHT = 900;

    @TempDir
    Path dir;

    /** Two interleaved half-moons, two numeric inputs: every kind of report picture applies. */
    static Path moons(Path dir, int n) throws Exception {
        SplittableRandom rng = new SplittableRandom(5);
        StringBuilder csv = new StringBuilder("x,y,moon\n");
        for (int i = 0; i < n; i++) {
            int c = i % 2;
            double t = Math.PI * rng.nextDouble();
            double x = c == 0 ? Math.cos(t) : 1 - Math.cos(t), y = c == 0 ? Math.sin(t) : 0.5 - Math.sin(t);
            csv.append(String.format(Locale.ROOT, "%.4f,%.4f,%s%n", x + 0.1 * rng.nextGaussian(), y + 0.1 * rng.nextGaussian(), c == 0 ? "upper" : "lower"));
        }
        Path f = dir.resolve("moons.csv");
        Files.writeString(f, csv);
        return f;
    }

    @Test
    void reportOpensInChromiumWithAllPicturesAndNoErrors() throws Exception {
        Path data = moons(dir, 400);
        Path report = dir.resolve("report");
        Cli r = Cli.run("train", "--data", data.toString(), "--label", "moon", "--layers", "8:tanh,1:sigmoid",
                "--normalize", "standard", "--epochs", "40", "--quiet", "--out", dir.resolve("model").toString(),
                "--report", report.toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.err()).contains("report written to");
        for (String name : new String[]{"history", "network", "boundary", "confusion", "activations"}) {
            assertThat(report.resolve(name + ".png")).exists();
            assertThat(report.resolve(name + ".svg")).exists();
        }
        String html = Files.readString(report.resolve("index.html"));
        assertThat(html).doesNotContain("http://", "https://", "<script");

        try (HeadlessChromium chrome = HeadlessChromium.start(WIDTH, HEIGHT)) {
            chrome.call("Emulation.setDeviceMetricsOverride",
                    java.util.Map.of("width", WIDTH, "height", HEIGHT, "deviceScaleFactor", 1, "mobile", false));
            chrome.open(report.resolve("index.html").toUri());
            assertThat(chrome.evaluate("document.readyState").asText()).isEqualTo("complete");
            assertThat(chrome.evaluate("document.title").asText()).startsWith("Training report: 2 -> 8:tanh -> 1:sigmoid");
            JsonNode images = chrome.evaluate(
                    "Array.from(document.images).map(i => ({src: i.src, complete: i.complete, w: i.naturalWidth, h: i.naturalHeight}))");
            assertThat(images.size()).isEqualTo(5);
            for (JsonNode img : images) {
                assertThat(img.path("complete").asBoolean()).as(img.toString()).isTrue();
                assertThat(img.path("w").asInt()).as("naturalWidth of " + img).isGreaterThan(0);
                assertThat(img.path("h").asInt()).as("naturalHeight of " + img).isGreaterThan(0);
            }
            assertThat(chrome.evaluate("document.querySelectorAll('table tr').length").asInt()).isGreaterThan(8);
            assertThat(chrome.errors()).as("console and log errors").isEmpty();

            byte[] png = chrome.screenshot();
            BufferedImage shot = ImageIO.read(new ByteArrayInputStream(png));
            assertThat(shot).isNotNull();
            assertThat(shot.getWidth()).isEqualTo(WIDTH);
            assertThat(shot.getHeight()).isEqualTo(HEIGHT);
            assertThat(nonWhiteShare(shot)).as("share of non-white pixels in the screenshot").isGreaterThan(0.02);
            Files.write(Path.of("target", "report-screenshot.png"), png);

            // the linked SVG versions render in the browser too
            for (String name : new String[]{"history", "network", "boundary", "confusion", "activations"}) {
                chrome.open(report.resolve(name + ".svg").toUri());
                assertThat(chrome.evaluate("document.documentElement.localName").asText()).isEqualTo("svg");
                assertThat(chrome.evaluate("document.querySelectorAll('text').length").asInt()).as(name + ".svg text").isGreaterThan(3);
                assertThat(chrome.errors()).as("errors after " + name + ".svg").isEmpty();
            }
        }
    }

    /** The same checks see a broken page: they report a missing picture and a script error. */
    @Test
    void theChecksCatchABrokenPage() throws Exception {
        Path page = dir.resolve("broken.html");
        Files.writeString(page, "<!DOCTYPE html><html><head><title>broken</title></head><body>"
                + "<img src=\"missing.png\"><script>console.error('boom')</script></body></html>");
        try (HeadlessChromium chrome = HeadlessChromium.start(400, 300)) {
            chrome.open(page.toUri());
            assertThat(chrome.evaluate("document.images[0].naturalWidth").asInt()).isZero();
            assertThat(chrome.errors()).anyMatch(e -> e.contains("boom"));
            assertThat(chrome.errors()).anyMatch(e -> e.contains("missing.png"));
        }
    }

    static double nonWhiteShare(BufferedImage img) {
        long n = 0;
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                int rgb = img.getRGB(x, y);
                if (((rgb >> 16) & 0xff) < 235 || ((rgb >> 8) & 0xff) < 235 || (rgb & 0xff) < 235) n++;
            }
        }
        return (double) n / ((long) img.getWidth() * img.getHeight());
    }
}
