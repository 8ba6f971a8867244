package dev.ganglion.plot;

import org.jfree.chart.JFreeChart;
import org.jfree.svg.SVGGraphics2D;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import java.util.Objects;

/**
 * A finished picture of a given size that can be written as PNG or SVG. The same drawing code
 * paints both: onto a {@link BufferedImage} for PNG and onto JFreeSVG's {@link SVGGraphics2D} for
 * SVG, so the two files show the same thing. Files are written atomically (temporary file in the
 * same directory, fsync, rename): an existing file is either replaced whole or left as it was.
 *
 * @param title   what the picture shows (used as the SVG title and in reports)
 * @param width   width in pixels (PNG) or user units (SVG)
 * @param height  height in pixels or user units
 * @param painter draws the picture into the rectangle (0, 0, width, height)
 */
public record Picture(String title, int width, int height, Painter painter) {
    static {
        // JFreeChart draws rotated text (vertical axis labels) as a TextLayout by default, which
        // SVG receives as glyph outlines; plain drawString keeps it real, searchable SVG text.
        // Same setting for every picture, so it is set once here.
        org.jfree.chart.text.TextUtils.setUseDrawRotatedStringWorkaround(false);
    }

    /** Draws a picture onto any Graphics2D, within the given area. */
    @FunctionalInterface
    public interface Painter {
        void paint(Graphics2D g, Rectangle2D area);
    }

    public Picture {
        Objects.requireNonNull(title);
        Objects.requireNonNull(painter);
        if (width < 50 || height < 50 || width > 10_000 || height > 10_000) {
            throw new IllegalArgumentException("picture size must be 50..10000 pixels each way, got " + width + "x" + height);
        }
    }

    /** A picture of a JFreeChart chart. */
    public static Picture of(JFreeChart chart, String title, int width, int height) {
        return new Picture(title, width, height, (g, area) -> chart.draw(g, area));
    }

    /** The same picture at another size. */
    public Picture withSize(int newWidth, int newHeight) {
        return new Picture(title, newWidth, newHeight, painter);
    }

    /** Renders the picture into a new RGB image on a white background. */
    public BufferedImage toImage() {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, width, height);
            painter.paint(g, new Rectangle2D.Double(0, 0, width, height));
        } finally {
            g.dispose();
        }
        return image;
    }

    /** The picture as an SVG document (UTF-8 text). */
    public String toSvg() {
        SVGGraphics2D g = new SVGGraphics2D(width, height);
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, height);
        painter.paint(g, new Rectangle2D.Double(0, 0, width, height));
        // no DOCTYPE: the SVG 1.1 DTD is an external address that XML parsers would try to fetch
        return g.getSVGDocument()
                .replaceFirst("<!DOCTYPE[^>]*>\\s*", "")
                .replaceFirst("(<svg[^>]*>)", "$1<title>" + escapeXml(title) + "</title>");
    }

    /** Writes a PNG file, atomically. */
    public void writePng(Path file) {
        BufferedImage image = toImage();
        atomicWrite(file, out -> {
            if (!ImageIO.write(image, "png", out)) throw new IOException("no PNG writer in this Java runtime");
        });
    }

    /** Writes an SVG file, atomically. */
    public void writeSvg(Path file) {
        byte[] svg = toSvg().getBytes(StandardCharsets.UTF_8);
        atomicWrite(file, out -> out.write(svg));
    }

    /**
     * Writes PNG or SVG, chosen by the file name's extension ({@code .png} or {@code .svg}).
     *
     * @throws IllegalArgumentException for any other extension
     */
    public void write(Path file) {
        switch (Format.of(file)) {
            case PNG -> writePng(file);
            case SVG -> writeSvg(file);
        }
    }

    /** The two file formats. */
    public enum Format {
        PNG, SVG;

        /** The format a file name asks for. */
        public static Format of(Path file) {
            String name = file.getFileName() == null ? "" : file.getFileName().toString().toLowerCase(Locale.ROOT);
            if (name.endsWith(".png")) return PNG;
            if (name.endsWith(".svg")) return SVG;
            throw new IllegalArgumentException("picture file " + file + " must end in .png or .svg");
        }
    }

    @FunctionalInterface
    interface Body {
        void write(OutputStream out) throws IOException;
    }

    /** Writes a file through a temporary file in its directory, fsync and an atomic rename. */
    static void atomicWrite(Path file, Body body) {
        Path target = file.toAbsolutePath();
        Path dir = target.getParent();
        Path tmp = null;
        try {
            if (dir != null) Files.createDirectories(dir);
            tmp = Files.createTempFile(dir, "." + target.getFileName(), ".tmp");
            readableByAll(tmp);
            try (OutputStream out = Files.newOutputStream(tmp, StandardOpenOption.WRITE)) {
                body.write(out);
            }
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                ch.force(true);
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
            tmp = null;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // the temporary file is hidden and named after the target; nothing else to do
                }
            }
        }
    }

    /** Temporary files start private (rw-------); the finished file gets the usual rw-r--r--. */
    private static void readableByAll(Path file) throws IOException {
        if (Files.getFileStore(file).supportsFileAttributeView(java.nio.file.attribute.PosixFileAttributeView.class)) {
            Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
        }
    }

    static String escapeXml(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
