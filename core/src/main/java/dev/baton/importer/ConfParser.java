package dev.baton.importer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads keepalived.conf into {@link Statement}s. The syntax, as keepalived.conf(5) and its parser
 * have it: whitespace separates words; {@code "..."} makes one word of several; {@code #} or
 * {@code !} starting a word comments out the rest of the line; {@code {} and {@code }} open and
 * close a block, on the keyword's line or the next. {@code include PATTERN} splices in the
 * statements of the matching files, in name order (glob(3) sorts), a relative pattern being
 * resolved from the including file's folder as keepalived 2 does.
 */
final class ConfParser {

    /** keepalived stops at a few levels too; a deeper chain is almost surely a loop. */
    static final int MAX_INCLUDE_DEPTH = 8;

    private record Token(String text, int line, boolean quoted, boolean firstOnLine) {
        boolean is(String brace) {
            return !quoted && text.equals(brace);
        }
    }

    private final String file;
    private final Path dir;
    private final int depth;
    private final List<String> notes;
    private final List<Token> tokens;
    private int pos;

    private ConfParser(Path path, int depth, List<String> notes) throws ImportException {
        this.file = path.toString();
        this.dir = path.toAbsolutePath().getParent();
        this.depth = depth;
        this.notes = notes;
        String text;
        try {
            text = Files.readString(path, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ImportException(file, 0, "cannot read (" + e.getClass().getSimpleName() + ")");
        }
        this.tokens = lex(text);
    }

    /**
     * The top-level statements of {@code path} with includes spliced in.
     * @param notes collects what the reader skipped (an include that matched nothing)
     */
    static List<Statement> parse(Path path, List<String> notes) throws ImportException {
        return new ConfParser(path, 0, notes).statements(null);
    }

    private List<Token> lex(String text) throws ImportException {
        List<Token> out = new ArrayList<>();
        String[] lines = text.split("\r?\n", -1);
        for (int n = 0; n < lines.length; n++) {
            String l = lines[n];
            int line = n + 1;
            int i = 0;
            boolean first = true;
            while (i < l.length()) {
                char c = l.charAt(i);
                if (Character.isWhitespace(c)) {
                    i++;
                } else if (c == '#' || c == '!') {
                    break;
                } else if (c == '{' || c == '}') {
                    out.add(new Token(String.valueOf(c), line, false, first));
                    first = false;
                    i++;
                } else if (c == '"') {
                    // keepalived.conf(5), "Quoted strings": inside double quotes \" is a quote
                    // character that does not end the string, and \\ a backslash.
                    StringBuilder quoted = new StringBuilder();
                    int end = i + 1;
                    while (end < l.length() && l.charAt(end) != '"') {
                        char e = l.charAt(end);
                        if (e == '\\' && end + 1 < l.length() && (l.charAt(end + 1) == '"' || l.charAt(end + 1) == '\\')) {
                            e = l.charAt(++end);
                        }
                        quoted.append(e);
                        end++;
                    }
                    if (end >= l.length()) {
                        throw new ImportException(file, line, "unterminated quoted string");
                    }
                    out.add(new Token(quoted.toString(), line, true, first));
                    first = false;
                    i = end + 1;
                } else {
                    int start = i;
                    while (i < l.length() && !Character.isWhitespace(l.charAt(i))
                            && l.charAt(i) != '{' && l.charAt(i) != '}' && l.charAt(i) != '"') {
                        i++;
                    }
                    out.add(new Token(l.substring(start, i), line, false, first));
                    first = false;
                }
            }
        }
        return out;
    }

    /** Statements until the end of the file, or until the '}' closing {@code opener}. */
    private List<Statement> statements(Statement opener) throws ImportException {
        List<Statement> out = new ArrayList<>();
        while (pos < tokens.size()) {
            Token t = tokens.get(pos);
            if (t.is("}")) {
                if (opener == null) {
                    throw new ImportException(file, t.line(), "'}' without a block to close");
                }
                pos++;
                return out;
            }
            if (t.is("{")) {
                throw new ImportException(file, t.line(), "'{' without a keyword before it");
            }
            List<String> words = new ArrayList<>();
            int line = t.line();
            words.add(t.text());
            pos++;
            while (pos < tokens.size() && tokens.get(pos).line() == line
                    && !tokens.get(pos).is("{") && !tokens.get(pos).is("}")) {
                words.add(tokens.get(pos++).text());
            }
            List<Statement> block = null;
            if (pos < tokens.size() && tokens.get(pos).is("{")
                    && (tokens.get(pos).line() == line || tokens.get(pos).firstOnLine())) {
                pos++;
                Statement open = new Statement(file, line, words, List.of());
                block = statements(open);
            }
            Statement s = new Statement(file, line, List.copyOf(words), block);
            if (s.keyword().equals("include") && block == null) {
                out.addAll(include(s));
            } else {
                out.add(s);
            }
        }
        if (opener != null) {
            throw new ImportException(opener.file(), opener.line(), "block '" + opener.keyword() + "' is not closed");
        }
        return out;
    }

    private List<Statement> include(Statement s) throws ImportException {
        if (s.args().size() != 1) {
            throw new ImportException(s, "include takes one file name or pattern");
        }
        if (depth + 1 > MAX_INCLUDE_DEPTH) {
            throw new ImportException(s, "includes nested deeper than " + MAX_INCLUDE_DEPTH + " (a loop?)");
        }
        Path pattern = dir.resolve(s.arg()).normalize();
        String name = pattern.getFileName().toString();
        Path folder = pattern.getParent();
        if (folder.toString().matches(".*[*?\\[].*")) {
            throw new ImportException(s, "include: wildcards are supported in the file name only");
        }
        List<Path> matches = new ArrayList<>();
        if (name.matches(".*[*?\\[].*")) {
            if (Files.isDirectory(folder)) {
                try (DirectoryStream<Path> ds = Files.newDirectoryStream(folder, name)) {
                    for (Path p : ds) {
                        if (Files.isRegularFile(p)) {
                            matches.add(p);
                        }
                    }
                } catch (IOException e) {
                    throw new ImportException(s, "include: cannot list " + folder + " (" + e.getClass().getSimpleName() + ")");
                }
            }
        } else if (Files.exists(pattern)) {
            matches.add(pattern);
        }
        if (matches.isEmpty()) {
            // keepalived logs this and goes on; so do we, but the operator hears of it.
            notes.add("keepalived include " + s.arg() + " (" + s.where() + ") matched no file");
            return List.of();
        }
        matches.sort(null);
        List<Statement> out = new ArrayList<>();
        for (Path p : matches) {
            out.addAll(new ConfParser(p, depth + 1, notes).statements(null));
        }
        return out;
    }
}
