package dev.baton.linode;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Linode's error body, {@code {"errors": [{"reason": "...", "field": "..."}]}} (the contract's
 * {@code default} response of every operation), as one line for a log or an exception.
 */
final class LinodeErrors {

    private static final int MAX_LENGTH = 300;

    private LinodeErrors() {}

    /** "reason (field f); reason2", or empty when the body is not Linode's error shape. */
    static String describe(ObjectMapper json, String body) {
        List<String> parts = new ArrayList<>();
        for (JsonNode e : errors(json, body)) {
            String reason = e.path("reason").asText("").strip();
            String field = e.path("field").asText("").strip();
            if (!reason.isEmpty()) {
                parts.add(field.isEmpty() ? reason : reason + " (field " + field + ")");
            }
        }
        String s = String.join("; ", parts);
        return s.length() > MAX_LENGTH ? s.substring(0, MAX_LENGTH) + "..." : s;
    }

    /**
     * True when a reason says the Linode is busy (Linode answers 400 "Linode busy." while another
     * job runs on it): a wait-and-retry condition, not a bad request.
     */
    static boolean busy(ObjectMapper json, String body) {
        for (JsonNode e : errors(json, body)) {
            if (e.path("reason").asText("").toLowerCase(Locale.ROOT).contains("busy")) {
                return true;
            }
        }
        return false;
    }

    private static Iterable<JsonNode> errors(ObjectMapper json, String body) {
        if (body == null || body.isBlank()) {
            return List.of();
        }
        try {
            JsonNode errors = json.readTree(body).path("errors");
            return errors.isArray() ? errors : List.of();
        } catch (IOException e) {
            return List.of();
        }
    }
}
