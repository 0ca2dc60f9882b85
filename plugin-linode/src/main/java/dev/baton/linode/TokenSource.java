package dev.baton.linode;

import dev.baton.api.Secret;
import java.io.IOException;
import java.nio.file.Path;

/**
 * The API token. Read once at configure time; when the API rejects it and it came from a file,
 * the file is read again, so a token rotated on disk is picked up without a restart. Never
 * printed: {@link #toString()} and {@link #origin()} name only where it comes from.
 */
final class TokenSource {

    private final Path file;
    private volatile Secret secret;

    TokenSource(Secret secret, Path file) {
        this.secret = secret;
        this.file = file;
    }

    /** The value of the Authorization header (RFC 6750 section 2.1). */
    String authorization() {
        return "Bearer " + secret.text();
    }

    /** True when the token file now holds a different token than the one in use. */
    boolean reload() {
        if (file == null) {
            return false;
        }
        try {
            Secret fresh = Secret.readFile(file);
            if (!fresh.equals(secret)) {
                secret = fresh;
                return true;
            }
        } catch (IOException e) {
            // keep the one we have; the caller reports the rejection
        }
        return false;
    }

    /** Where the token comes from ({@code file /etc/baton/linode.token}): safe to log. */
    String origin() {
        return secret.origin();
    }

    @Override
    public String toString() {
        return "TokenSource[" + origin() + ", redacted]";
    }
}
