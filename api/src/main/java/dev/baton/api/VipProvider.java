package dev.baton.api;

import org.pf4j.ExtensionPoint;

/**
 * Makes the network deliver a set of virtual IPs to this node, or stop delivering them.
 *
 * <p>The engine creates one provider object per instance and provider entry of the config, calls
 * {@link #configure} with that entry, then {@link #start} once before the election begins. After
 * that, {@link #acquire}, {@link #release} and {@link #inspect} are called from one reconciler
 * thread per instance, never from the election thread, each bounded by the configured timeout:
 * a call that blocks past it is abandoned and counted as a failure, so implementations should
 * honour thread interruption.
 *
 * <p>Every call must be idempotent: the reconciler re-asserts the wanted state periodically and
 * after failures, so acquiring what is already held must succeed quietly.
 */
public interface VipProvider extends ExtensionPoint {

    /** The {@code type} this provider answers to in the config, for example {@code "arp"}. */
    String type();

    /**
     * Validates and keeps this provider's own settings. Must not touch the network or the host:
     * {@code baton validate} calls it too.
     *
     * @throws ProviderConfigException naming the offending field
     */
    void configure(ProviderSettings settings, ProviderContext context) throws ProviderConfigException;

    /**
     * Called once by {@code baton run} after every provider is configured and before this node
     * joins the election: build and warm clients, and undo what a crashed run may have left
     * behind (the node starts as backup and must not attract traffic).
     */
    default void start() throws ProviderException {}

    /** Makes traffic for {@code vips} reach this node. Idempotent. */
    void acquire(VipSet vips) throws ProviderException;

    /** Stops attracting traffic for {@code vips}. Idempotent; never takes a VIP from another node. */
    void release(VipSet vips) throws ProviderException;

    /** Reads back where traffic for {@code vips} goes, as far as this provider can tell. */
    Ownership inspect(VipSet vips) throws ProviderException;

    /** Stops this provider's threads and clients; the plugin may be unloaded afterwards. */
    default void close() {}
}
