package dev.baton.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/** {@code baton status}: the /status JSON as a table an operator reads at a glance. */
final class StatusTable {

    private static final String[] HEADER = {"INSTANCE", "STATE", "PRIORITY", "MASTER", "LAST TRANSITION", "PROVIDERS"};

    private StatusTable() {}

    static String render(JsonNode status) {
        List<String[]> rows = new ArrayList<>();
        rows.add(HEADER);
        for (JsonNode i : status.path("instances")) {
            JsonNode t = i.path("last_transition");
            String transition = age(t.path("age_seconds").asDouble()) + " ago: " + t.path("from").asText() + " -> "
                    + t.path("to").asText() + " (" + t.path("reason").asText() + ")";
            rows.add(new String[] {
                i.path("name").asText(),
                i.path("state").asText(),
                i.path("priority").asInt() + "/" + i.path("effective_priority").asInt(),
                i.path("master").isNull() || i.path("master").isMissingNode() ? "-" : i.path("master").asText(),
                transition,
                providers(i.path("providers")),
            });
        }
        int[] widths = new int[HEADER.length];
        for (String[] r : rows) {
            for (int c = 0; c < r.length; c++) {
                widths[c] = Math.max(widths[c], r[c].length());
            }
        }
        StringBuilder out = new StringBuilder();
        out.append("node ").append(status.path("node").asText())
                .append(status.path("running").asBoolean() ? "" : " (not running)").append('\n');
        for (String[] r : rows) {
            StringBuilder line = new StringBuilder();
            for (int c = 0; c < r.length; c++) {
                line.append(c == r.length - 1 ? r[c] : pad(r[c], widths[c] + 2));
            }
            out.append(line.toString().stripTrailing()).append('\n');
        }
        return out.toString();
    }

    /** "arp: ok, aws: failing (timed out after 10000ms)"; "-" for an empty chain. */
    private static String providers(JsonNode list) {
        List<String> parts = new ArrayList<>();
        for (JsonNode p : list) {
            JsonNode ok = p.path("ok");
            String state;
            if (p.path("fault").asBoolean() || (ok.isBoolean() && !ok.asBoolean())) {
                state = "failing (" + p.path("message").asText() + ")";
            } else if (ok.isBoolean()) {
                state = "ok";
            } else {
                state = "not called yet";
            }
            parts.add(p.path("name").asText() + ": " + state);
        }
        return parts.isEmpty() ? "-" : String.join(", ", parts);
    }

    static String age(double seconds) {
        long s = (long) seconds;
        if (s < 60) {
            return s + "s";
        }
        if (s < 3600) {
            return s / 60 + "m" + s % 60 + "s";
        }
        if (s < 86400) {
            return s / 3600 + "h" + s % 3600 / 60 + "m";
        }
        return s / 86400 + "d" + s % 86400 / 3600 + "h";
    }

    private static String pad(String s, int width) {
        return s + " ".repeat(Math.max(0, width - s.length()));
    }
}
