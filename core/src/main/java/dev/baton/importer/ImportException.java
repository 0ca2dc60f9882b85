package dev.baton.importer;

/**
 * A keepalived.conf the importer cannot read, as one line an operator can act on:
 * {@code /etc/keepalived/keepalived.conf:12: block 'vrrp_instance' is not closed}.
 */
public final class ImportException extends Exception {

    private static final long serialVersionUID = 1L;

    ImportException(String file, int line, String problem) {
        super(line > 0 ? file + ":" + line + ": " + problem : file + ": " + problem, null, false, false);
    }

    ImportException(Statement at, String problem) {
        this(at.file(), at.line(), problem);
    }
}
