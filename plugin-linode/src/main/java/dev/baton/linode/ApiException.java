package dev.baton.linode;

import dev.baton.api.ProviderException;

/** The Linode API answered with an error status the call cannot get past by retrying. */
final class ApiException extends ProviderException {

    private static final long serialVersionUID = 1L;

    private final int status;

    ApiException(int status, String message) {
        super(message, false, null);
        this.status = status;
    }

    /** The HTTP status: 400 (bad request), 401, 403, 404... */
    int status() {
        return status;
    }
}
