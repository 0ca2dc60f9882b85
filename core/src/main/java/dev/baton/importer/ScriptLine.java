package dev.baton.importer;

import java.util.ArrayList;
import java.util.List;

/**
 * keepalived's script strings ({@code script}, {@code notify_*}) split into an argv the way
 * keepalived splits them (keepalived.conf(5), "Quoted strings" and "Scripts"): the statement's
 * words are one string, unquoted white space separates arguments, and an argument holding white
 * space is written in single quotes. Double quotes (written {@code \"} inside keepalived's quoted
 * string) group the same way, so {@code "\"/opt/my tools/check\" --fast"} is one path and one
 * option.
 */
final class ScriptLine {

    private ScriptLine() {}

    /** The whole rest of the statement as one script string ({@code script} in a vrrp_script). */
    static List<String> argv(Statement s) throws ImportException {
        return argv(s, String.join(" ", s.args()));
    }

    static List<String> argv(Statement s, String line) throws ImportException {
        List<String> out = new ArrayList<>();
        StringBuilder word = null;
        char quote = 0;
        for (int k = 0; k < line.length(); k++) {
            char c = line.charAt(k);
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                } else {
                    word.append(c);
                }
            } else if (Character.isWhitespace(c)) {
                if (word != null) {
                    out.add(word.toString());
                    word = null;
                }
            } else {
                word = word == null ? new StringBuilder() : word;
                if (c == '\'' || c == '"') {
                    quote = c;
                } else {
                    word.append(c);
                }
            }
        }
        if (quote != 0) {
            throw new ImportException(s, s.keyword() + ": unterminated " + quote + " in '" + line + "'");
        }
        if (word != null) {
            out.add(word.toString());
        }
        if (out.isEmpty()) {
            throw new ImportException(s, s.keyword() + " needs a command");
        }
        return out;
    }
}
