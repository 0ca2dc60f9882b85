package dev.baton.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A YAML document as plain JDK values (Map, List, String, Long, Double, Boolean) plus the line and
 * column of every value by its path ({@code instances[0].vrid}), so that errors found later,
 * by the engine or a plugin, can point at the line that caused them.
 */
final class YamlTree {

    record Location(int line, int column) {}

    private final Object root;
    private final Map<String, Location> locations;

    private YamlTree(Object root, Map<String, Location> locations) {
        this.root = root;
        this.locations = locations;
    }

    Object root() {
        return root;
    }

    /** The location of {@code path}, or of its nearest ancestor present in the file. */
    Location locate(String path) {
        String p = path;
        while (true) {
            Location loc = locations.get(p);
            if (loc != null) {
                return loc;
            }
            int cut = Math.max(p.lastIndexOf('.'), p.lastIndexOf('['));
            if (cut <= 0) {
                return locations.getOrDefault("", new Location(1, 1));
            }
            p = p.substring(0, cut);
        }
    }

    /** Parses one document; a syntax error is a {@link ConfigException} with its location. */
    static YamlTree parse(Reader reader, String file) throws ConfigException {
        Map<String, Location> locations = new HashMap<>();
        try (JsonParser p = YAMLFactory.builder().build().createParser(reader)) {
            JsonToken first = p.nextToken();
            if (first == null) {
                return new YamlTree(null, locations);
            }
            Object root = value(p, "", locations, file);
            return new YamlTree(root, locations);
        } catch (JsonProcessingException e) {
            JsonLocation l = e.getLocation();
            String msg = e.getOriginalMessage().lines().findFirst().orElse("syntax error");
            throw new ConfigException(file, l == null ? 0 : l.getLineNr(), l == null ? 0 : l.getColumnNr(), "", msg);
        } catch (IOException e) {
            throw new ConfigException(file, 0, 0, "", "cannot read: " + e.getMessage());
        }
    }

    private static Object value(JsonParser p, String path, Map<String, Location> locations, String file) throws IOException, ConfigException {
        JsonLocation l = p.currentTokenLocation();
        locations.put(path, new Location(l.getLineNr(), l.getColumnNr()));
        JsonToken t = p.currentToken();
        switch (t) {
            case START_OBJECT -> {
                Map<String, Object> map = new LinkedHashMap<>();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String key = p.currentName();
                    String childPath = path.isEmpty() ? key : path + "." + key;
                    JsonLocation kl = p.currentTokenLocation();
                    if (map.containsKey(key)) {
                        throw new ConfigException(file, kl.getLineNr(), kl.getColumnNr(), childPath, "key appears twice");
                    }
                    p.nextToken();
                    map.put(key, value(p, childPath, locations, file));
                }
                return map;
            }
            case START_ARRAY -> {
                List<Object> list = new ArrayList<>();
                int i = 0;
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    list.add(value(p, path + "[" + i++ + "]", locations, file));
                }
                return list;
            }
            case VALUE_STRING -> {
                return p.getText();
            }
            case VALUE_NUMBER_INT -> {
                return p.getNumberType() == JsonParser.NumberType.BIG_INTEGER ? p.getText() : p.getLongValue();
            }
            case VALUE_NUMBER_FLOAT -> {
                return p.getDoubleValue();
            }
            case VALUE_TRUE -> {
                return Boolean.TRUE;
            }
            case VALUE_FALSE -> {
                return Boolean.FALSE;
            }
            case VALUE_NULL -> {
                return null;
            }
            default -> throw new ConfigException(file, l.getLineNr(), l.getColumnNr(), path, "unexpected " + t);
        }
    }
}
