package dev.baton.ops;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A strict parser of the Prometheus text exposition format 0.0.4, for tests. No Java parser of the
 * format resolves here (client_java only writes it) and Python's prometheus_client is not
 * installed, so this follows the format's grammar: {@code # HELP name text}, {@code # TYPE name
 * type}, then samples {@code name{label="value",...} value [timestamp]} with {@code \\}, {@code \"}
 * and {@code \n} escapes. It rejects what Prometheus would: a malformed line, a TYPE after its
 * samples or given twice, a sample whose name does not belong to its family's type, a family split
 * in two, a duplicate label or series.
 */
final class PromText {

    record Sample(String name, Map<String, String> labels, double value) {}

    record Family(String name, String type, String help, List<Sample> samples) {}

    private static final Pattern METRIC_NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");
    private static final Set<String> TYPES = Set.of("counter", "gauge", "histogram", "summary", "untyped");

    private final Map<String, Family> families = new LinkedHashMap<>();
    private final Set<String> series = new java.util.HashSet<>();
    private String current;

    private PromText() {}

    static Map<String, Family> parse(String text) {
        PromText p = new PromText();
        String[] lines = text.split("\n", -1);
        if (!text.isEmpty() && !text.endsWith("\n")) {
            throw new IllegalArgumentException("the exposition must end with a newline");
        }
        for (int i = 0; i < lines.length; i++) {
            try {
                p.line(lines[i]);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("line " + (i + 1) + ": " + e.getMessage() + ": " + lines[i], e);
            }
        }
        return p.families;
    }

    private void line(String line) {
        if (line.isBlank()) {
            return;
        }
        if (line.startsWith("#")) {
            String[] parts = line.split("[ \t]+", 4);
            if (parts.length >= 3 && parts[0].equals("#") && (parts[1].equals("HELP") || parts[1].equals("TYPE"))) {
                String name = parts[2];
                require(METRIC_NAME.matcher(name).matches(), "bad metric name '" + name + "'");
                String rest = parts.length == 4 ? parts[3] : "";
                if (parts[1].equals("HELP")) {
                    Family f = family(name);
                    require(f.help() == null, "second HELP for " + name);
                    families.put(name, new Family(name, f.type(), unescape(rest, false), f.samples()));
                } else {
                    require(TYPES.contains(rest), "unknown type '" + rest + "'");
                    Family f = family(name);
                    require(f.type() == null, "second TYPE for " + name);
                    require(f.samples().isEmpty(), "TYPE for " + name + " after its samples");
                    families.put(name, new Family(name, rest, f.help(), f.samples()));
                }
            }
            return; // any other comment is allowed and ignored
        }
        sample(line);
    }

    private Family family(String name) {
        if (!name.equals(current) && families.containsKey(name) && !families.get(name).samples().isEmpty()) {
            throw new IllegalArgumentException("family " + name + " appears twice");
        }
        current = name;
        return families.computeIfAbsent(name, n -> new Family(n, null, null, new ArrayList<>()));
    }

    private void sample(String line) {
        int i = 0;
        while (i < line.length() && line.charAt(i) != '{' && line.charAt(i) != ' ' && line.charAt(i) != '\t') {
            i++;
        }
        String name = line.substring(0, i);
        require(METRIC_NAME.matcher(name).matches(), "bad metric name '" + name + "'");
        Map<String, String> labels = new LinkedHashMap<>();
        if (i < line.length() && line.charAt(i) == '{') {
            i++;
            while (true) {
                if (line.charAt(i) == '}') {
                    i++;
                    break;
                }
                int eq = line.indexOf('=', i);
                require(eq > i, "label without '='");
                String label = line.substring(i, eq).strip();
                require(LABEL_NAME.matcher(label).matches(), "bad label name '" + label + "'");
                i = eq + 1;
                require(i < line.length() && line.charAt(i) == '"', "label value not quoted");
                i++;
                StringBuilder value = new StringBuilder();
                while (true) {
                    require(i < line.length(), "unterminated label value");
                    char c = line.charAt(i++);
                    if (c == '"') {
                        break;
                    }
                    if (c == '\\') {
                        require(i < line.length(), "dangling escape");
                        char e = line.charAt(i++);
                        switch (e) {
                            case '\\' -> value.append('\\');
                            case '"' -> value.append('"');
                            case 'n' -> value.append('\n');
                            default -> throw new IllegalArgumentException("bad escape \\" + e);
                        }
                    } else {
                        value.append(c);
                    }
                }
                require(labels.put(label, value.toString()) == null, "label " + label + " twice");
                require(i < line.length(), "unterminated label set");
                if (line.charAt(i) == ',') {
                    i++;
                } else {
                    require(line.charAt(i) == '}', "expected ',' or '}'");
                }
            }
        }
        String[] rest = line.substring(i).strip().split("[ \t]+");
        require(rest.length == 1 || rest.length == 2, "expected a value and an optional timestamp");
        double value = number(rest[0]);
        if (rest.length == 2) {
            Long.parseLong(rest[1]);
        }
        String familyName = owner(name, labels);
        Family f = family(familyName);
        require(series.add(name + labels), "duplicate series " + name + labels);
        f.samples().add(new Sample(name, Map.copyOf(labels), value));
    }

    /** The family a sample belongs to, as its family's TYPE allows. */
    private String owner(String name, Map<String, String> labels) {
        for (String suffix : List.of("_bucket", "_sum", "_count")) {
            if (name.endsWith(suffix)) {
                String base = name.substring(0, name.length() - suffix.length());
                Family f = families.get(base);
                if (f != null && ("histogram".equals(f.type()) || "summary".equals(f.type()))) {
                    require(!suffix.equals("_bucket") || "histogram".equals(f.type()), "_bucket in a summary");
                    require(!suffix.equals("_bucket") || labels.containsKey("le"), "bucket without le");
                    return base;
                }
            }
        }
        Family f = families.get(name);
        require(f == null || !"histogram".equals(f.type()), "bare sample in histogram " + name);
        return name;
    }

    private static double number(String s) {
        return switch (s) {
            case "+Inf", "Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            case "NaN" -> Double.NaN;
            default -> Double.parseDouble(s);
        };
    }

    private static String unescape(String s, boolean quotes) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < s.length()) {
                char e = s.charAt(++i);
                out.append(switch (e) {
                    case '\\' -> '\\';
                    case 'n' -> '\n';
                    case '"' -> {
                        require(quotes, "\\\" in HELP");
                        yield '"';
                    }
                    default -> throw new IllegalArgumentException("bad escape \\" + e);
                });
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static void require(boolean ok, String problem) {
        if (!ok) {
            throw new IllegalArgumentException(problem);
        }
    }
}
