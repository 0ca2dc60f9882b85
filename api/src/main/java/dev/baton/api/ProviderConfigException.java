package dev.baton.api;

/**
 * A provider's settings are wrong. {@link #field()} is the key path inside the provider's own
 * subtree ({@code "garp.count"}); the engine turns it into the file and line of the config.
 */
public class ProviderConfigException extends Exception {

    private static final long serialVersionUID = 1L;

    private final String field;

    public ProviderConfigException(String field, String message) {
        super(message);
        this.field = field == null ? "" : field;
    }

    public String field() {
        return field;
    }
}
