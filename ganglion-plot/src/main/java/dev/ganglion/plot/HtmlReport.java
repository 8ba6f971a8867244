package dev.ganglion.plot;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A one-page HTML report: tables of settings and results, then pictures. {@link #write} puts each
 * picture beside {@code index.html} as PNG (shown on the page) and SVG (linked), and the page
 * itself needs nothing else: styles are inline, there are no scripts and no external addresses.
 */
public final class HtmlReport {
    private static final Pattern FILE_NAME = Pattern.compile("[a-z0-9][a-z0-9-]*");

    private final String title;
    private final List<Map.Entry<String, Map<String, String>>> tables = new ArrayList<>();
    private final List<Figure> figures = new ArrayList<>();

    /** A picture on the page: written as {@code name.png} and {@code name.svg}. */
    public record Figure(String name, String caption, Picture picture) {
        public Figure {
            if (!FILE_NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("report figure name must be lower-case letters, digits and '-', got \"" + name + "\"");
            }
        }
    }

    public HtmlReport(String title) {
        this.title = title;
    }

    /** Adds a two-column table (keys and values, in the map's order). */
    public HtmlReport table(String heading, Map<String, ?> rows) {
        Map<String, String> text = new LinkedHashMap<>();
        rows.forEach((k, v) -> text.put(k, format(v)));
        tables.add(Map.entry(heading, text));
        return this;
    }

    /** Adds a picture. */
    public HtmlReport figure(String name, String caption, Picture picture) {
        figures.add(new Figure(name, caption, picture));
        return this;
    }

    public List<Figure> figures() {
        return List.copyOf(figures);
    }

    /**
     * Writes the pictures and then {@code index.html} into {@code dir} (created if needed), each
     * file atomically.
     *
     * @return the path of {@code index.html}
     */
    public Path write(Path dir) {
        for (Figure f : figures) {
            f.picture().writePng(dir.resolve(f.name() + ".png"));
            f.picture().writeSvg(dir.resolve(f.name() + ".svg"));
        }
        Path index = dir.resolve("index.html");
        byte[] page = html().getBytes(StandardCharsets.UTF_8);
        Picture.atomicWrite(index, out -> out.write(page));
        return index;
    }

    /** The page's HTML. */
    public String html() {
        StringBuilder h = new StringBuilder();
        h.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<title>").append(esc(title)).append("</title>\n<style>\n")
                .append("body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,'DejaVu Sans',sans-serif;")
                .append("margin:2em auto;max-width:1100px;padding:0 1em;color:#222;background:#fff}\n")
                .append("h1{font-size:1.6em;margin-bottom:.2em}h2{font-size:1.2em;margin-top:1.6em;border-bottom:1px solid #ddd}\n")
                .append("table{border-collapse:collapse;margin:.5em 0}td,th{padding:.25em .9em;border-bottom:1px solid #eee;")
                .append("text-align:left;vertical-align:top}th{font-weight:600;color:#444;white-space:nowrap}\n")
                .append("td{font-family:ui-monospace,'DejaVu Sans Mono',monospace}\n")
                .append(".tables{display:flex;flex-wrap:wrap;gap:0 3em}\n")
                .append("figure{margin:1.5em 0}figure img{max-width:100%;height:auto;border:1px solid #ddd}\n")
                .append("figcaption{color:#555;margin-top:.3em}\n</style>\n</head>\n<body>\n")
                .append("<h1>").append(esc(title)).append("</h1>\n<div class=\"tables\">\n");
        for (var t : tables) {
            h.append("<section>\n<h2>").append(esc(t.getKey())).append("</h2>\n<table>\n");
            t.getValue().forEach((k, v) -> h.append("<tr><th>").append(esc(k)).append("</th><td>").append(esc(v)).append("</td></tr>\n"));
            h.append("</table>\n</section>\n");
        }
        h.append("</div>\n");
        for (Figure f : figures) {
            String png = f.name() + ".png", svg = f.name() + ".svg";
            h.append("<figure id=\"").append(f.name()).append("\">\n<h2>").append(esc(f.picture().title())).append("</h2>\n")
                    .append("<img src=\"").append(png).append("\" width=\"").append(f.picture().width())
                    .append("\" height=\"").append(f.picture().height()).append("\" alt=\"").append(esc(f.caption())).append("\">\n")
                    .append("<figcaption>").append(esc(f.caption())).append(" (<a href=\"").append(svg).append("\">SVG</a>)</figcaption>\n")
                    .append("</figure>\n");
        }
        h.append("</body>\n</html>\n");
        return h.toString();
    }

    private static String format(Object v) {
        if (v == null) return "";
        if (v instanceof Double d) return Double.isFinite(d) ? String.format(Locale.ROOT, "%.4f", d) : d.toString();
        if (v instanceof Float f) return format(f.doubleValue());
        return v.toString();
    }

    private static String esc(String s) {
        return Picture.escapeXml(s);
    }
}
