package dev.baton.check;

import java.time.Duration;

/**
 * One kind of health check: a single run, bounded by {@code timeout}. A run that cannot finish in
 * time reports a failure; it never blocks its caller much longer than the timeout.
 */
interface Probe extends AutoCloseable {

    /** The result of one run; {@code detail} becomes the fault reason or the log line. */
    record Result(boolean ok, String detail) {
        static Result pass(String detail) {
            return new Result(true, detail);
        }

        static Result fail(String detail) {
            return new Result(false, detail);
        }
    }

    Result run(Duration timeout) throws InterruptedException;

    @Override
    default void close() {}
}
