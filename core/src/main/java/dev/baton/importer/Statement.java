package dev.baton.importer;

import java.util.List;

/**
 * One line of keepalived.conf: its words, and the statements of the block it opens, if any.
 * keepalived's grammar is line based (keepalived.conf(5)): a keyword, its arguments, and an
 * optional {@code { ... }} block whose lines are statements again.
 */
record Statement(String file, int line, List<String> words, List<Statement> block) {

    String keyword() {
        return words.get(0);
    }

    List<String> args() {
        return words.subList(1, words.size());
    }

    /** The first argument, or null. */
    String arg() {
        return words.size() > 1 ? words.get(1) : null;
    }

    boolean hasBlock() {
        return block != null;
    }

    /** Where it came from, for comments: {@code keepalived.conf:12}. */
    String where() {
        int slash = file.lastIndexOf('/');
        return (slash < 0 ? file : file.substring(slash + 1)) + ":" + line;
    }

    /** The line as keepalived reads it, blocks shown as {@code { ... }}. */
    String text() {
        StringBuilder b = new StringBuilder();
        for (String w : words) {
            if (!b.isEmpty()) {
                b.append(' ');
            }
            b.append(w.isEmpty() || w.chars().anyMatch(Character::isWhitespace) ? '"' + w + '"' : w);
        }
        if (block != null) {
            b.append(block.isEmpty() ? " { }" : " { ... }");
        }
        return b.toString();
    }
}
