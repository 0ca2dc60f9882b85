package dev.baton.agent;

import dev.baton.config.BatonConfig;
import dev.baton.config.CheckConfig;
import dev.baton.config.ConfigException;
import dev.baton.config.InstanceConfig;
import dev.baton.config.NotifyConfig;
import dev.baton.config.ProviderConfig;
import dev.baton.vrrp.Instance;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What a reload changes, instance by instance, decided before anything is touched. Instances are
 * matched by name; the place of an entry in the file does not matter.
 *
 * <ul>
 *   <li><b>unchanged</b>: keeps running as it is, state and VIP included;
 *   <li><b>updated</b> in place: only priority, preemption, checks or hooks differ; the state and
 *       the VIP stay, the next advert carries the new priority;
 *   <li><b>restarted</b>: anything else differs (VRID, addresses, peers, VIPs, providers...): the
 *       old one stops as on a graceful stop (priority 0, release), the new one joins as backup;
 *   <li><b>added</b> and <b>removed</b>: start and stop.
 * </ul>
 *
 * Node-wide settings (node name, plugins folder, HTTP listener) are read once at start; a reload
 * that changes them is refused so nothing is half applied.
 */
record ReloadPlan(List<InstanceConfig> added, List<InstanceConfig> removed, List<Change> restarted,
                  List<Change> updated, List<String> unchanged) {

    /** One instance in both configs. */
    record Change(InstanceConfig before, InstanceConfig after) {
        String name() {
            return after.name();
        }

        boolean checksChanged() {
            return !located(before.checks()).equals(located(after.checks()));
        }
    }

    static ReloadPlan of(BatonConfig current, BatonConfig next) throws ConfigException {
        refuseNodeChange(current, next);
        List<InstanceConfig> added = new ArrayList<>();
        List<Change> restarted = new ArrayList<>();
        List<Change> updated = new ArrayList<>();
        List<String> unchanged = new ArrayList<>();
        for (InstanceConfig after : next.instances()) {
            InstanceConfig before = current.instance(after.name());
            if (before == null) {
                added.add(after);
            } else if (!restartKey(before).equals(restartKey(after)) || !Instance.inPlace(before.vrrp(), after.vrrp())) {
                restarted.add(new Change(before, after));
            } else if (located(before).equals(located(after))) {
                unchanged.add(after.name());
            } else {
                updated.add(new Change(before, after));
            }
        }
        List<InstanceConfig> removed = current.instances().stream().filter(i -> next.instance(i.name()) == null).toList();
        return new ReloadPlan(added, removed, restarted, updated, unchanged);
    }

    boolean changesNothing() {
        return added.isEmpty() && removed.isEmpty() && restarted.isEmpty() && updated.isEmpty();
    }

    /** For the log and {@code baton reload}: "unchanged: web; updated: db; added: api". */
    String summary() {
        List<String> parts = new ArrayList<>();
        part(parts, "unchanged", unchanged);
        part(parts, "updated", updated.stream().map(Change::name).toList());
        part(parts, "restarted", restarted.stream().map(Change::name).toList());
        part(parts, "added", added.stream().map(InstanceConfig::name).toList());
        part(parts, "removed", removed.stream().map(InstanceConfig::name).toList());
        return String.join("; ", parts);
    }

    private static void part(List<String> parts, String what, List<String> names) {
        if (!names.isEmpty()) {
            parts.add(what + ": " + String.join(", ", names));
        }
    }

    private static void refuseNodeChange(BatonConfig current, BatonConfig next) throws ConfigException {
        if (!current.nodeName().equals(next.nodeName())) {
            throw restartNeeded(next, "node.name", "the node name");
        }
        if (!Objects.equals(current.pluginsDir(), next.pluginsDir())) {
            throw restartNeeded(next, "plugins_dir", "the plugins folder");
        }
        if (!Objects.equals(current.http(), next.http())) {
            throw restartNeeded(next, "http", "the HTTP listener");
        }
        refuseUdpSocketChange(current, next);
    }

    /**
     * A UDP socket serves every instance on its source address and was opened with their keys and
     * peers. While one of those instances keeps running, the socket stays, so its keys, port and
     * peer set cannot change underneath it.
     */
    private static void refuseUdpSocketChange(BatonConfig current, BatonConfig next) throws ConfigException {
        for (int k = 0; k < next.instances().size(); k++) {
            InstanceConfig after = next.instances().get(k);
            InstanceConfig before = current.instance(after.name());
            if (before == null || !before.vrrp().source().equals(after.vrrp().source())) {
                continue;
            }
            java.net.InetAddress source = after.vrrp().source();
            if ((before.udp() != null || after.udp() != null) && (!Objects.equals(socketOf(current, source), socketOf(next, source)))) {
                throw next.locator().error("instances[" + k + "].udp", "the UDP socket of " + source.getHostAddress()
                        + " (transport, port, keys, peers) changed while instances keep using it: a reload cannot "
                        + "apply that, restart the agent (systemctl restart baton); nothing was changed");
            }
        }
    }

    /** What a source's UDP socket was opened with: the transport, settings and every peer on it. */
    private static List<Object> socketOf(BatonConfig config, java.net.InetAddress source) {
        List<InstanceConfig> on = config.instances().stream().filter(i -> i.vrrp().source().equals(source)).toList();
        java.util.Set<java.net.InetAddress> peers = new java.util.TreeSet<>(java.util.Comparator.comparing(
                java.net.InetAddress::getHostAddress));
        on.forEach(i -> peers.addAll(i.vrrp().peers()));
        return java.util.Arrays.asList(on.getFirst().transport(), on.getFirst().udp(), List.copyOf(peers));
    }

    private static ConfigException restartNeeded(BatonConfig next, String field, String what) {
        return next.locator().error(field, what + " changed: a reload cannot apply that, restart the agent "
                + "(systemctl restart baton); nothing was changed");
    }

    /** The instance with everything a running instance can take in place blanked out. */
    private static InstanceConfig restartKey(InstanceConfig i) {
        InstanceConfig l = located(i);
        return new InstanceConfig(null, l.interfaceName(), l.transport(), l.vips(), l.providers(), l.reconcileInterval(),
                l.trackInterface(), List.of(), NotifyConfig.NONE, "", l.udp(), l.quorum());
    }

    /** The instance without the field paths ("instances[2]"), which move when entries are reordered. */
    private static InstanceConfig located(InstanceConfig i) {
        List<ProviderConfig> providers = i.providers().stream()
                .map(p -> new ProviderConfig(p.type(), p.timeout(), p.retries(), p.dryRun(), p.settings(), "")).toList();
        return new InstanceConfig(i.vrrp(), i.interfaceName(), i.transport(), i.vips(), providers, i.reconcileInterval(),
                i.trackInterface(), located(i.checks()), i.hooks(), "", i.udp(), i.quorum());
    }

    private static List<CheckConfig> located(List<CheckConfig> checks) {
        return checks.stream().map(ReloadPlan::located).toList();
    }

    static CheckConfig located(CheckConfig c) {
        return new CheckConfig(c.name(), c.probe(), c.interval(), c.timeout(), c.rise(), c.fall(), c.weight(), c.fault(), "");
    }
}
