package dev.ganglion.serve;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import dev.ganglion.data.FeatureEncoding;
import dev.ganglion.model.Model;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * The rows of one predict request, coded for its model: numbers as they are, categories as their
 * index, missing values (JSON {@code null}, or an absent key) as NaN when the model imputes them.
 * Read with Jackson's streaming parser straight from the request body, so memory stays bounded
 * by the row limit whatever the client sends.
 *
 * @param coded row-major values, {@code rows * model.inputCount()}
 * @param rows  the number of rows
 */
record PredictRequest(float[] coded, int rows) {
    private static final JsonFactory JSON = JsonFactory.builder()
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS) // parsed so that the error can say "NaN", not "invalid JSON"
            .disable(StreamReadFeature.AUTO_CLOSE_SOURCE) // the server reads what is left of the body
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(32).maxStringLength(1 << 20).build())
            .build();

    /**
     * Reads {@code {"inputs": [[...], ...]}} or {@code {"inputs": [{"name": value, ...}, ...]}}.
     *
     * @throws ApiError for every problem with the body, naming the row, value and column
     * @throws IOException if the body cannot be read (including {@link BoundedInputStream.TooLarge})
     */
    static PredictRequest parse(InputStream body, ServedModel served, int maxRows) throws IOException {
        try (JsonParser p = JSON.createParser(body)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw ApiError.badInput("the body must be a JSON object {\"inputs\": [[...], ...]}, got " + describe(p.currentToken()));
            }
            PredictRequest result = null;
            for (JsonToken t = p.nextToken(); t != JsonToken.END_OBJECT; t = p.nextToken()) {
                String field = p.currentName();
                p.nextToken();
                if (!field.equals("inputs")) {
                    throw ApiError.badInput("unknown field \"" + field + "\"; a predict request holds only \"inputs\"");
                }
                result = new Reader(p, served, maxRows).rows();
            }
            if (p.nextToken() != null) throw ApiError.badInput("unexpected content after the JSON object");
            if (result == null) throw ApiError.badInput("the body has no \"inputs\": send {\"inputs\": [[...], ...]}");
            return result;
        } catch (JsonProcessingException e) {
            var loc = e.getLocation();
            throw new ApiError(400, "invalid_json", "invalid JSON" + (loc == null ? "" : " at line " + loc.getLineNr()
                    + ", column " + loc.getColumnNr()) + ": " + e.getOriginalMessage().replace('\n', ' ')
                    .replaceAll("\\[Source: [^;\\]]*; ", "["));
        }
    }

    private static String describe(JsonToken t) {
        if (t == null) return "nothing";
        return switch (t) {
            case START_OBJECT -> "an object";
            case START_ARRAY -> "an array";
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_NULL -> "null";
            default -> t.toString();
        };
    }

    /** Reads the rows of one request into a growing buffer. */
    private static final class Reader {
        private final JsonParser p;
        private final Model model;
        private final ServedModel served;
        private final FeatureEncoding enc;
        private final int width;
        private final int maxRows;
        private float[] buf;
        private int rows;

        Reader(JsonParser p, ServedModel served, int maxRows) {
            this.p = p;
            this.served = served;
            this.model = served.model();
            this.enc = model.encoding();
            this.width = model.inputCount();
            this.maxRows = maxRows;
            this.buf = new float[width * 16];
        }

        PredictRequest rows() throws IOException {
            if (p.currentToken() != JsonToken.START_ARRAY) {
                throw ApiError.badInput("\"inputs\" must be an array of rows, got " + describe(p.currentToken()));
            }
            for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
                if (rows == maxRows) {
                    throw new ApiError(413, "too_large", "more than " + maxRows + " rows in one request (the server's --max-rows)");
                }
                if (buf.length < (rows + 1) * width) buf = Arrays.copyOf(buf, Math.max(buf.length * 2, (rows + 1) * width));
                if (t == JsonToken.START_ARRAY) arrayRow();
                else if (t == JsonToken.START_OBJECT) objectRow();
                else throw ApiError.badInput("row " + (rows + 1) + " must be an array of values or an object keyed by input name, got "
                            + describe(t));
                rows++;
            }
            if (rows == 0) throw ApiError.badInput("\"inputs\" is empty; send at least one row");
            return new PredictRequest(Arrays.copyOf(buf, rows * width), rows);
        }

        private void arrayRow() throws IOException {
            int n = 0;
            for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
                if (n < width) buf[rows * width + n] = value(t, n);
                else if (t == JsonToken.START_ARRAY || t == JsonToken.START_OBJECT) p.skipChildren();
                n++;
            }
            if (n != width) {
                throw ApiError.badInput("row " + (rows + 1) + " has " + n + " value" + (n == 1 ? "" : "s") + ", model takes " + width
                        + " (" + String.join(", ", model.inputNames()) + ")");
            }
        }

        private void objectRow() throws IOException {
            boolean[] seen = new boolean[width];
            for (JsonToken t = p.nextToken(); t != JsonToken.END_OBJECT; t = p.nextToken()) {
                String key = p.currentName();
                Integer column = served.inputIndex().get(key);
                if (column == null) {
                    throw ApiError.badInput("row " + (rows + 1) + ": \"" + key + "\" is not an input of the model; its inputs are "
                            + String.join(", ", model.inputNames()));
                }
                if (seen[column]) throw ApiError.badInput("row " + (rows + 1) + " gives \"" + key + "\" twice");
                seen[column] = true;
                buf[rows * width + column] = value(p.nextToken(), column);
            }
            for (int j = 0; j < width; j++) {
                if (!seen[j]) buf[rows * width + j] = missing(j, "has no value for \"" + model.inputNames().get(j) + "\"");
            }
        }

        private float value(JsonToken t, int column) throws IOException {
            String where = "row " + (rows + 1) + ", value " + (column + 1) + " (" + model.inputNames().get(column) + ")";
            boolean categorical = enc.isCategorical(column);
            switch (t) {
                case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> {
                    if (categorical) {
                        throw ApiError.badInput(where + " is a category; send it as a string, one of "
                                + FeatureEncoding.quoteAll(enc.categoriesOf(column)));
                    }
                    float v = p.getFloatValue();
                    if (!Float.isFinite(v)) {
                        String text = p.getText();
                        throw ApiError.badInput(where + " is " + (text.matches("[-+]?(NaN|Infinity|INF)") ? text
                                : text + ", outside the 32-bit float range") + "; values must be finite numbers");
                    }
                    return v;
                }
                case VALUE_STRING -> {
                    if (!categorical) {
                        throw ApiError.badInput(where + " must be a number, got the string \"" + abbreviate(p.getText()) + "\"");
                    }
                    if (p.getText().isBlank()) return missing(column, "value " + (column + 1) + " is empty");
                    try {
                        return enc.code(column, p.getText());
                    } catch (IllegalArgumentException e) {
                        throw ApiError.badInput(where + ": " + e.getMessage());
                    }
                }
                case VALUE_NULL -> {
                    return missing(column, "value " + (column + 1) + " (" + model.inputNames().get(column) + ") is null");
                }
                default -> throw ApiError.badInput(where + " must be " + (categorical ? "a string" : "a number") + ", got " + describe(t));
            }
        }

        /** NaN for a missing value when the model imputes; an error otherwise. */
        private float missing(int column, String what) {
            if (!enc.imputer().isActive()) {
                throw ApiError.badInput("row " + (rows + 1) + " " + what + "; the model was trained without --impute, "
                        + "so every value is needed");
            }
            return Float.NaN;
        }

        private static String abbreviate(String s) {
            return s.length() <= 40 ? s : s.substring(0, 40) + "...";
        }
    }
}
