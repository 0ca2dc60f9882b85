package dev.baton.aws;

/**
 * An EC2 call failed. {@link #code()} is EC2's error code ({@code RequestLimitExceeded},
 * {@code UnauthorizedOperation}...) or {@link #CLIENT} when no answer came (timeout, connection).
 * Messages are EC2's or the SDK's: they name resources and request ids, never credentials.
 */
final class Ec2Error extends Exception {

    private static final long serialVersionUID = 1L;

    /** The code of failures without an answer from EC2. */
    static final String CLIENT = "NoResponse";

    private final String code;
    private final boolean retryable;

    Ec2Error(String code, String message, boolean retryable, Throwable cause) {
        super(message, cause);
        this.code = code;
        this.retryable = retryable;
    }

    String code() {
        return code;
    }

    /** Throttling, server errors and no answer: worth another try later. Client errors are not. */
    boolean retryable() {
        return retryable;
    }

    boolean isThrottling() {
        return code.equals("RequestLimitExceeded") || code.equals("Throttling") || code.equals("ThrottlingException");
    }
}
