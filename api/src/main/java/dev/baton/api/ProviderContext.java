package dev.baton.api;

/**
 * What the engine tells a provider about where it runs. JDK types only, so plugins never see the
 * engine's internals.
 */
public interface ProviderContext {

    /** This node's name from the config ({@code node.name}). */
    String nodeName();

    /** The VRRP instance this provider serves. */
    String instanceName();

    /** The instance's interface ({@code instances[].interface}). */
    String interfaceName();

    /** The instance's VIPs, the set every call will be given: for set-up in {@link VipProvider#start()}. */
    VipSet vips();

    /** True when the operator asked for {@code dry_run}: log what would change, change nothing. */
    boolean dryRun();

    /** A logger named after the plugin and instance; lines go to the agent's log. */
    System.Logger logger();

    /** Monotonic time in nanoseconds, the engine's clock (virtual in tests). */
    long nanoTime();

    /** Counters and gauges that show up on the agent's {@code /metrics}, labelled by instance. */
    ProviderMetrics metrics();

    /**
     * Tells the engine that another node serves the VIPs this one holds: a second master (an ARP
     * reply from a foreign MAC, a cloud record naming another instance). The engine counts it as a
     * split brain, logs it and runs the {@code split_brain} hook; who keeps the VIP is decided by
     * the election, not by the provider. Any thread; never blocks; the engine rate-limits.
     *
     * @param holder who else serves it (a MAC, an instance id)
     * @param detail what was seen, for the log
     */
    default void reportRival(String holder, String detail) {}
}
