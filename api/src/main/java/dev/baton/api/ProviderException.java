package dev.baton.api;

/**
 * A provider call failed. The reconciler retries it with backoff unless {@link #isRetryable()} is
 * false (a rejected token, a forbidden call), in which case it reports the fault at once.
 * Messages end up in logs: never put a secret in one.
 */
public class ProviderException extends Exception {

    private static final long serialVersionUID = 1L;

    private final boolean retryable;

    public ProviderException(String message) {
        this(message, true, null);
    }

    public ProviderException(String message, Throwable cause) {
        this(message, true, cause);
    }

    public ProviderException(String message, boolean retryable, Throwable cause) {
        super(message, cause);
        this.retryable = retryable;
    }

    public boolean isRetryable() {
        return retryable;
    }
}
