package dev.baton.api;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * A password, key or token read from a file or the environment. {@link #toString()} never shows
 * the value, so a secret that slips into a log line or an exception message stays secret.
 */
public final class Secret {

    private final byte[] value;
    private final String origin;

    public Secret(byte[] value, String origin) {
        this.value = value.clone();
        this.origin = origin;
    }

    /**
     * Reads a secret file, dropping one trailing newline (editors add one). Fails when the file
     * is unreadable or empty; the message names the file, never its content.
     */
    public static Secret readFile(Path file) throws IOException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new IOException("cannot read " + file + " (" + e.getClass().getSimpleName() + ")", e);
        }
        int len = bytes.length;
        if (len > 0 && bytes[len - 1] == '\n') {
            len--;
            if (len > 0 && bytes[len - 1] == '\r') {
                len--;
            }
        }
        if (len == 0) {
            throw new IOException(file + " is empty");
        }
        Secret s = new Secret(Arrays.copyOf(bytes, len), "file " + file);
        Arrays.fill(bytes, (byte) 0);
        return s;
    }

    /** A copy of the secret's bytes. */
    public byte[] bytes() {
        return value.clone();
    }

    /** The secret as UTF-8 text. */
    public String text() {
        return new String(value, StandardCharsets.UTF_8);
    }

    public int length() {
        return value.length;
    }

    /**
     * Whether {@code candidate} is this secret followed by zero octets (how VRRPv2 carries a
     * password), compared in constant time and without copying the secret.
     */
    public boolean matchesPadded(byte[] candidate) {
        if (candidate.length < value.length) {
            return false;
        }
        int diff = 0;
        for (int i = 0; i < candidate.length; i++) {
            diff |= candidate[i] ^ (i < value.length ? value[i] : 0);
        }
        return diff == 0;
    }

    /** Where it came from ({@code file /etc/baton/vrrp.pass}, {@code env BATON_TOKEN}): safe to log. */
    public String origin() {
        return origin;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Secret other && java.security.MessageDigest.isEqual(value, other.value);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(value);
    }

    @Override
    public String toString() {
        return "Secret[" + origin + ", redacted]";
    }
}
