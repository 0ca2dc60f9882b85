package dev.baton.vrrp;

/** What the election counts. Implementations must be thread-safe (drops are counted on receive threads). */
public interface ElectionMetrics {

    void advertSent(String instance);

    void advertReceived(String instance);

    /** A packet refused before the state machine; {@code instance} is empty when none could be named. */
    void dropped(String instance, String reason);

    void sendFailed(String instance);

    /** Creates what counting for {@code instance} needs, so the first advert does not pay for it. */
    default void prepare(String instance) {}

    static ElectionMetrics none() {
        return new ElectionMetrics() {
            @Override
            public void advertSent(String instance) {}

            @Override
            public void advertReceived(String instance) {}

            @Override
            public void dropped(String instance, String reason) {}

            @Override
            public void sendFailed(String instance) {}
        };
    }
}
