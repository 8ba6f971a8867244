package dev.ganglion.io;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A YAML or JSON file read into a tree that remembers where each key and value stood, so that
 * every complaint names the key path and the line. The typed getters fail with a
 * {@link ConfigException}; {@link #checkKeys} rejects keys the schema does not know.
 */
final class ConfigTree {
    private static final long MAX_BYTES = 10_000_000L;
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final Path file;
    private final boolean yaml;
    private final JsonNode root;
    /** Where each value starts, by key path. */
    private final Map<String, JsonLocation> locations;
    /** Where each key stands, by key path. */
    private final Map<String, JsonLocation> keyLocations;

    private ConfigTree(Path file, boolean yaml, JsonNode root, Map<String, JsonLocation> locations, Map<String, JsonLocation> keyLocations) {
        this.file = file;
        this.yaml = yaml;
        this.root = root;
        this.locations = locations;
        this.keyLocations = keyLocations;
    }

    /** Reads {@code file}: JSON when it ends in {@code .json} or starts with '{', else YAML. */
    static ConfigTree read(Path file) {
        String text;
        try {
            if (!Files.isRegularFile(file)) throw new ConfigException(file, 0, 0, null, "no such file");
            if (Files.size(file) > MAX_BYTES) throw new ConfigException(file, 0, 0, null, "is larger than " + MAX_BYTES + " bytes");
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ConfigException(file, 0, 0, null, "cannot read: " + e.getMessage());
        }
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        boolean yaml = name.endsWith(".yaml") || name.endsWith(".yml")
                || !(name.endsWith(".json") || text.stripLeading().startsWith("{"));
        JsonFactory factory = yaml ? new YAMLFactory() : new JsonFactory();
        Map<String, JsonLocation> locations = new HashMap<>(), keyLocations = new HashMap<>();
        try (JsonParser p = factory.createParser(text)) {
            JsonToken first = p.nextToken();
            if (first == null) throw new ConfigException(file, 0, 0, null, "is empty");
            if (first != JsonToken.START_OBJECT) {
                throw new ConfigException(file, p.currentTokenLocation().getLineNr(), p.currentTokenLocation().getColumnNr(), null,
                        "must hold a " + (yaml ? "mapping (key: value lines)" : "JSON object") + " at the top");
            }
            JsonNode root = readValue(file, p, "", locations, keyLocations);
            JsonToken after = p.nextToken();
            if (after != null) {
                throw new ConfigException(file, p.currentTokenLocation().getLineNr(), 0, null,
                        "holds more than one " + (yaml ? "document" : "JSON value"));
            }
            return new ConfigTree(file, yaml, root, locations, keyLocations);
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            throw new ConfigException(file, at == null ? 0 : at.getLineNr(), at == null ? 0 : at.getColumnNr(), null,
                    "is not valid " + (yaml ? "YAML" : "JSON") + ": " + parserMessage(e.getOriginalMessage()));
        } catch (IOException e) {
            throw new ConfigException(file, 0, 0, null, "cannot read: " + e.getMessage());
        }
    }

    /** The parser's message without its source excerpts: SnakeYAML adds indented "in 'reader', line …" blocks. */
    private static String parserMessage(String s) {
        if (s == null) return "(no details)";
        List<String> kept = new ArrayList<>();
        for (String line : s.split("\n")) if (!line.isBlank() && !Character.isWhitespace(line.charAt(0))) kept.add(line.strip());
        return kept.isEmpty() ? s.strip() : String.join("; ", kept);
    }

    /** Reads the value at the parser's current token, recording the location of each path. */
    private static JsonNode readValue(Path file, JsonParser p, String path, Map<String, JsonLocation> locations,
                                      Map<String, JsonLocation> keyLocations) throws IOException {
        JsonToken t = p.currentToken();
        locations.put(path, p.currentTokenLocation());
        switch (t) {
            case START_OBJECT -> {
                ObjectNode o = NODES.objectNode();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String key = p.currentName();
                    String child = path.isEmpty() ? key : path + "." + key;
                    JsonLocation at = p.currentTokenLocation();
                    if (o.has(key)) {
                        throw new ConfigException(file, at.getLineNr(), at.getColumnNr(), child, "is given twice");
                    }
                    keyLocations.put(child, at);
                    p.nextToken();
                    o.set(key, readValue(file, p, child, locations, keyLocations));
                }
                return o;
            }
            case START_ARRAY -> {
                ArrayNode a = NODES.arrayNode();
                int i = 0;
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    a.add(readValue(file, p, path + "[" + i++ + "]", locations, keyLocations));
                }
                return a;
            }
            case VALUE_STRING -> {
                return NODES.textNode(p.getText());
            }
            case VALUE_NUMBER_INT -> {
                return switch (p.getNumberType()) {
                    case INT -> NODES.numberNode(p.getIntValue());
                    case LONG -> NODES.numberNode(p.getLongValue());
                    default -> NODES.numberNode(p.getBigIntegerValue());
                };
            }
            case VALUE_NUMBER_FLOAT -> {
                return NODES.numberNode(p.getDoubleValue());
            }
            case VALUE_TRUE, VALUE_FALSE -> {
                return NODES.booleanNode(t == JsonToken.VALUE_TRUE);
            }
            case VALUE_NULL -> {
                return NODES.nullNode();
            }
            default -> {
                JsonLocation at = p.currentTokenLocation();
                throw new ConfigException(file, at.getLineNr(), at.getColumnNr(), path.isEmpty() ? null : path,
                        "holds an unsupported value (" + t + ")");
            }
        }
    }

    Path file() {
        return file;
    }

    JsonNode root() {
        return root;
    }

    /** A failure of the value at {@code path} (located at the value, or its nearest parent with a known location). */
    ConfigException error(String path, String problem) {
        return error(path, problem, locations);
    }

    /** A failure of the key {@code path} itself (located at the key). */
    ConfigException keyError(String path, String problem) {
        return error(path, problem, keyLocations.containsKey(path) ? keyLocations : locations);
    }

    private ConfigException error(String path, String problem, Map<String, JsonLocation> locations) {
        String p = path;
        JsonLocation at = locations.get(p);
        while (at == null && !p.isEmpty()) {
            int cut = Math.max(p.lastIndexOf('.'), p.lastIndexOf('['));
            p = cut < 0 ? "" : p.substring(0, cut);
            at = locations.get(p);
        }
        return new ConfigException(file, at == null ? 0 : at.getLineNr(), at == null ? 0 : at.getColumnNr(),
                path.isEmpty() ? null : path, problem);
    }

    /** Fails on the first key of {@code object} (at {@code path}) that is not in {@code known}. */
    void checkKeys(JsonNode object, String path, Set<String> known) {
        checkKeys(object, path, known, Set.of());
    }

    /** As {@link #checkKeys(JsonNode, String, Set)}; {@code quiet} keys are accepted but not listed in the message. */
    void checkKeys(JsonNode object, String path, Set<String> known, Set<String> quiet) {
        for (var it = object.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (known.contains(key) || quiet.contains(key)) continue;
            String full = join(path, key);
            String near = closest(key, known);
            throw keyError(full, "is not a known key" + (near == null ? "." : "; did you mean \"" + join(path, near) + "\"?")
                    + " Known keys" + (path.isEmpty() ? "" : " of \"" + path + "\"") + ": " + String.join(", ", new TreeSet<>(known)));
        }
    }

    static String join(String path, String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    private static String closest(String key, Set<String> known) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String k : known) {
            if (key.length() >= 3 && k.startsWith(key.toLowerCase(Locale.ROOT))) return k;      // batch -> batch_size
            int d = distance(key.toLowerCase(Locale.ROOT), k);
            if (d < bestDistance) {
                bestDistance = d;
                best = k;
            }
        }
        return bestDistance <= Math.max(2, key.length() / 3) ? best : null;
    }

    private static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1], cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) prev[j] = j;
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1));
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }

    // ------------------------------------------------------------------ typed values

    private static String describe(JsonNode v) {
        if (v.isTextual()) return "\"" + v.asText() + "\"";
        if (v.isObject()) return "a mapping";
        if (v.isArray()) return "a list";
        return v.toString();
    }

    ObjectNode object(JsonNode v, String path) {
        if (!v.isObject()) throw error(path, "must be a mapping of keys to values, got " + describe(v));
        return (ObjectNode) v;
    }

    String text(JsonNode v, String path) {
        if (!v.isTextual()) throw error(path, "must be a string, got " + describe(v) + (v.isValueNode() && yaml ? " (quote it)" : ""));
        return v.asText();
    }

    /** A number; in YAML also a plain scalar such as {@code 1e-3}, which YAML 1.1 reads as text. */
    double number(JsonNode v, String path) {
        if (v.isNumber()) return v.asDouble();
        if (yaml && v.isTextual()) {
            try {
                double d = Double.parseDouble(v.asText().strip());
                if (Double.isFinite(d)) return d;
            } catch (NumberFormatException ignored) {
                // reported below
            }
        }
        throw error(path, "must be a number, got " + describe(v));
    }

    long integer(JsonNode v, String path) {
        if (v.isIntegralNumber() && v.canConvertToLong()) return v.asLong();
        if (v.isNumber() && v.asDouble() == Math.rint(v.asDouble()) && Math.abs(v.asDouble()) < 1e15) return (long) v.asDouble();
        throw error(path, "must be an integer, got " + describe(v));
    }

    int integer32(JsonNode v, String path) {
        long n = integer(v, path);
        if (n < Integer.MIN_VALUE || n > Integer.MAX_VALUE) throw error(path, "is out of range: " + n);
        return (int) n;
    }

    List<String> strings(JsonNode v, String path) {
        if (!v.isArray()) throw error(path, "must be a list of strings, got " + describe(v));
        List<String> out = new ArrayList<>();
        for (int i = 0; i < v.size(); i++) out.add(text(v.get(i), path + "[" + i + "]"));
        return out;
    }

    /** A list of strings, or one string holding comma-separated names. */
    List<String> stringOrStrings(JsonNode v, String path) {
        if (v.isTextual()) {
            List<String> out = new ArrayList<>();
            for (String s : v.asText().split(",", -1)) out.add(s.strip());
            return out;
        }
        return strings(v, path);
    }
}
