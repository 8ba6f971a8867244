package dev.ganglion.plot;

import org.w3c.dom.Document;
import org.w3c.dom.NodeList;

import javax.imageio.ImageIO;
import javax.xml.parsers.DocumentBuilderFactory;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Checks that written picture files are what they claim to be. */
final class PictureChecks {
    private PictureChecks() {
    }

    /** Reads a PNG, checks its size and that it is not one flat colour; returns the image. */
    static BufferedImage assertPng(Path file, int width, int height) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        assertThat(bytes).startsWith(0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n');
        BufferedImage img = ImageIO.read(file.toFile());
        assertThat(img).as("ImageIO reads " + file).isNotNull();
        assertThat(img.getWidth()).isEqualTo(width);
        assertThat(img.getHeight()).isEqualTo(height);
        assertThat(nonBackgroundShare(img)).as("share of non-white pixels in " + file).isGreaterThan(0.01);
        return img;
    }

    /** The share of pixels that are not (near) white. */
    static double nonBackgroundShare(BufferedImage img) {
        long n = 0;
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                int rgb = img.getRGB(x, y);
                int r = (rgb >> 16) & 0xff, g = (rgb >> 8) & 0xff, b = rgb & 0xff;
                if (r < 240 || g < 240 || b < 240) n++;
            }
        }
        return (double) n / ((long) img.getWidth() * img.getHeight());
    }

    /** Parses an SVG file as XML, checks the root element and size; returns the text of all text elements. */
    static List<String> assertSvg(Path file, int width, int height) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        Document doc = f.newDocumentBuilder().parse(file.toFile());
        assertThat(doc.getDocumentElement().getLocalName()).isEqualTo("svg");
        assertThat(doc.getDocumentElement().getNamespaceURI()).isEqualTo("http://www.w3.org/2000/svg");
        assertThat(doc.getDocumentElement().getAttribute("width")).startsWith(Integer.toString(width));
        assertThat(doc.getDocumentElement().getAttribute("height")).startsWith(Integer.toString(height));
        NodeList texts = doc.getElementsByTagNameNS("http://www.w3.org/2000/svg", "text");
        List<String> out = new ArrayList<>();
        for (int i = 0; i < texts.getLength(); i++) out.add(texts.item(i).getTextContent());
        assertThat(doc.getElementsByTagNameNS("http://www.w3.org/2000/svg", "*").getLength()).isGreaterThan(20);
        return out;
    }

    /** Writes both formats and checks both; returns the SVG's texts. */
    static List<String> assertBoth(Picture p, Path dir, String name) throws Exception {
        Path png = dir.resolve(name + ".png"), svg = dir.resolve(name + ".svg");
        p.writePng(png);
        p.writeSvg(svg);
        assertPng(png, p.width(), p.height());
        List<String> texts = assertSvg(svg, p.width(), p.height());
        // a copy under target/ for people to look at
        Path samples = Path.of("target", "plot-samples");
        Files.createDirectories(samples);
        Files.copy(png, samples.resolve(name + ".png"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Files.copy(svg, samples.resolve(name + ".svg"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        return texts;
    }
}
