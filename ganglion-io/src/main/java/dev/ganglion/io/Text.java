package dev.ganglion.io;

import java.util.Arrays;
import java.util.Collection;
import java.util.Iterator;

/** Formatting helpers that keep error messages on one readable line, whatever the input holds. */
final class Text {
    /** Longest quoted value shown in a message; the rest is elided. */
    static final int MAX_QUOTED = 80;

    private Text() {}

    /**
     * Quotes a value taken from a file, escaping quotes, backslashes and control characters (so a
     * hostile or broken file cannot break a message over several lines) and eliding long values.
     */
    static String quote(String s) {
        StringBuilder b = new StringBuilder(Math.min(s.length(), MAX_QUOTED) + 8).append('"');
        int n = Math.min(s.length(), MAX_QUOTED);
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029' || c == '\uFEFF') {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        b.append('"');
        if (s.length() > n) {
            b.append("... (").append(s.length()).append(" characters)");
        }
        return b.toString();
    }

    /** Quotes each name and joins them with ", ", stopping after {@code limit} names. */
    static String quoteAll(Collection<String> names, int limit) {
        StringBuilder b = new StringBuilder();
        Iterator<String> it = names.iterator();
        int shown = 0;
        while (it.hasNext() && shown < limit) {
            if (shown > 0) {
                b.append(", ");
            }
            b.append(quote(it.next()));
            shown++;
        }
        if (names.size() > shown) {
            b.append(", ... (").append(names.size() - shown).append(" more)");
        }
        return b.toString();
    }

    /** Collapses line breaks in a message from elsewhere (a library, the OS) into spaces. */
    static String oneLine(String s) {
        return s == null ? "" : s.strip().replaceAll("\\s*\\R\\s*", " ");
    }

    /** A shape as {@code [2, 3]}; a scalar is {@code []}. */
    static String shape(int[] shape) {
        return Arrays.toString(shape);
    }

    /** A shape as {@code [2, 3]} for dimensions held as longs. */
    static String shape(long[] shape) {
        return Arrays.toString(shape);
    }
}
