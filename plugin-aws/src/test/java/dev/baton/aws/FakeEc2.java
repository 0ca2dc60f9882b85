package dev.baton.aws;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * EC2 in memory, as the API reference documents it where moto differs, with faults on demand:
 * <ul>
 *   <li>AssignPrivateIpAddresses with AllowReassignment moves the address: it leaves the other
 *       interface (moto keeps it on both);</li>
 *   <li>the {@code addresses.private-ip-address} filter matches secondary addresses too (moto:
 *       primary only);</li>
 *   <li>UnassignPrivateIpAddresses of an address the interface does not have is refused;</li>
 *   <li>DisassociateAddress of an association that no longer exists is InvalidAssociationID.NotFound;</li>
 *   <li>ReplaceRoute of a missing route is refused, CreateRoute of an existing one is RouteAlreadyExists;</li>
 *   <li>{@link #throttleNext}: the next calls fail with RequestLimitExceeded;</li>
 *   <li>{@link #lagReads}: after each write the next reads still show the state before it (eventual
 *       consistency).</li>
 * </ul>
 */
final class FakeEc2 implements Ec2 {

    /** Everything EC2 knows, copyable so reads can lag behind writes. */
    private static final class State {
        final Map<String, Set<String>> eniIps = new LinkedHashMap<>();
        final Map<String, Address> addresses = new LinkedHashMap<>();
        final Map<String, Map<String, String>> routes = new LinkedHashMap<>();

        State copy() {
            State s = new State();
            eniIps.forEach((k, v) -> s.eniIps.put(k, new LinkedHashSet<>(v)));
            s.addresses.putAll(addresses);
            routes.forEach((k, v) -> s.routes.put(k, new LinkedHashMap<>(v)));
            return s;
        }
    }

    private State live = new State();
    private State lagging;
    private int staleReadsLeft;
    private int lag;
    private int throttled;
    private int associations;
    private final Map<String, String> instances = new LinkedHashMap<>();
    private final Map<String, Runnable> beforeWrite = new LinkedHashMap<>();
    /** Writes as they reached "EC2", for assertions: "assign eni-1 [10.0.1.50]". */
    final List<String> writes = Collections.synchronizedList(new ArrayList<>());
    boolean sourceDestCheck = true;

    synchronized FakeEc2 eni(String id, String instanceId, String... ips) {
        live.eniIps.put(id, new LinkedHashSet<>(List.of(ips)));
        instances.put(id, instanceId);
        return this;
    }

    synchronized FakeEc2 allocation(String id, String publicIp) {
        live.addresses.put(id, new Address(id, publicIp, "", "", ""));
        return this;
    }

    synchronized FakeEc2 routeTable(String id) {
        live.routes.put(id, new LinkedHashMap<>());
        return this;
    }

    /** The next {@code n} calls, reads or writes, fail throttled. */
    synchronized void throttleNext(int n) {
        throttled = n;
    }

    /** From now on, the {@code k} reads after each write still show the state before it. */
    synchronized void lagReads(int k) {
        lag = k;
    }

    /** Runs {@code r} just before the next write named {@code op} ("assign", "unassign", "disassociate"...). */
    synchronized void beforeNext(String op, Runnable r) {
        beforeWrite.put(op, r);
    }

    // ---- the truth, for assertions (never lags) -----------------------------------------------

    synchronized Set<String> ipsOf(String eniId) {
        return Set.copyOf(live.eniIps.get(eniId));
    }

    synchronized Address addressNow(String allocationId) {
        return live.addresses.get(allocationId);
    }

    synchronized String routeTarget(String table, String cidr) {
        return live.routes.get(table).get(cidr);
    }

    // ---- reads --------------------------------------------------------------------------------

    private State read() throws Ec2Error {
        fault();
        if (staleReadsLeft > 0) {
            staleReadsLeft--;
            return lagging;
        }
        return live;
    }

    @Override
    public synchronized Eni eni(String eniId) throws Ec2Error {
        Set<String> ips = read().eniIps.get(eniId);
        if (ips == null) {
            throw new Ec2Error("InvalidNetworkInterfaceID.NotFound", "The networkInterface ID '" + eniId + "' does not exist", false, null);
        }
        return new Eni(eniId, instances.get(eniId), Set.copyOf(ips), sourceDestCheck);
    }

    @Override
    public synchronized List<String> enisHolding(String ip) throws Ec2Error {
        List<String> out = new ArrayList<>();
        read().eniIps.forEach((eni, ips) -> {
            if (ips.contains(ip)) {
                out.add(eni);
            }
        });
        return out;
    }

    @Override
    public synchronized Address address(String allocationId) throws Ec2Error {
        Address a = read().addresses.get(allocationId);
        if (a == null) {
            throw new Ec2Error("InvalidAllocationID.NotFound", "allocation " + allocationId + " does not exist", false, null);
        }
        return a;
    }

    @Override
    public synchronized Map<String, Route> routes(List<String> tables, String cidr) throws Ec2Error {
        State s = read();
        Map<String, Route> out = new LinkedHashMap<>();
        for (String t : tables) {
            Map<String, String> table = s.routes.get(t);
            if (table == null) {
                throw new Ec2Error("InvalidRouteTableID.NotFound", "The routeTable ID '" + t + "' does not exist", false, null);
            }
            if (table.containsKey(cidr)) {
                out.put(t, new Route(table.get(cidr), true));
            }
        }
        return out;
    }

    // ---- writes -------------------------------------------------------------------------------

    /** Before a write: faults, the injected race, and (with lag) the snapshot later reads will see. */
    private void writing(String op, String what) throws Ec2Error {
        fault();
        race(op);
        commit(op, what);
    }

    private void race(String op) {
        Runnable r = beforeWrite.remove(op);
        if (r != null) {
            r.run();
        }
    }

    private void commit(String op, String what) {
        if (lag > 0) {
            lagging = live.copy();
            staleReadsLeft = lag;
        }
        writes.add(op + " " + what);
    }

    @Override
    public synchronized void assignPrivateIps(String eniId, List<String> ips) throws Ec2Error {
        writing("assign", eniId + " " + ips);
        // AllowReassignment: "reassigned to the specified network interface" - off the other one.
        for (Set<String> other : live.eniIps.values()) {
            other.removeAll(ips);
        }
        live.eniIps.get(eniId).addAll(ips);
    }

    @Override
    public synchronized void unassignPrivateIps(String eniId, List<String> ips) throws Ec2Error {
        fault();
        race("unassign");
        Set<String> mine = live.eniIps.get(eniId);
        if (!mine.containsAll(ips)) {
            // Scoped to the interface named: EC2 never takes the address from another one.
            throw new Ec2Error("InvalidParameterValue", "Some of the specified addresses are not assigned to interface "
                    + eniId, false, null);
        }
        commit("unassign", eniId + " " + ips);
        mine.removeAll(ips);
    }

    /** Another node's write, straight into EC2 (a stray master, a console click). */
    synchronized void strayAssign(String eniId, String ip) {
        for (Set<String> other : live.eniIps.values()) {
            other.remove(ip);
        }
        live.eniIps.get(eniId).add(ip);
    }

    synchronized void strayAssociate(String allocationId, String eniId) {
        Address a = live.addresses.get(allocationId);
        live.addresses.put(allocationId, new Address(allocationId, a.publicIp(), "eipassoc-" + (++associations), eniId, "10.0.1.9"));
    }

    synchronized void strayRoute(String table, String cidr, String eniId) {
        live.routes.get(table).put(cidr, eniId);
    }

    @Override
    public synchronized void associateAddress(String allocationId, String eniId, String privateIp) throws Ec2Error {
        writing("associate", allocationId + " " + eniId);
        Address a = live.addresses.get(allocationId);
        String ip = privateIp != null ? privateIp : live.eniIps.get(eniId).iterator().next();
        live.addresses.put(allocationId, new Address(allocationId, a.publicIp(), "eipassoc-" + (++associations), eniId, ip));
    }

    @Override
    public synchronized void disassociateAddress(String associationId) throws Ec2Error {
        writing("disassociate", associationId);
        for (Address a : live.addresses.values()) {
            if (a.associationId().equals(associationId)) {
                live.addresses.put(a.allocationId(), new Address(a.allocationId(), a.publicIp(), "", "", ""));
                return;
            }
        }
        throw new Ec2Error("InvalidAssociationID.NotFound", "The association ID '" + associationId + "' does not exist", false, null);
    }

    @Override
    public synchronized void replaceRoute(String table, String cidr, String eniId) throws Ec2Error {
        writing("replace", table + " " + cidr + " " + eniId);
        Map<String, String> t = live.routes.get(table);
        if (!t.containsKey(cidr)) {
            throw new Ec2Error("InvalidParameterValue", "There is no route defined for '" + cidr
                    + "' in the route table. Use CreateRoute instead.", false, null);
        }
        t.put(cidr, eniId);
    }

    @Override
    public synchronized void createRoute(String table, String cidr, String eniId) throws Ec2Error {
        writing("create", table + " " + cidr + " " + eniId);
        Map<String, String> t = live.routes.get(table);
        if (t.containsKey(cidr)) {
            throw new Ec2Error("RouteAlreadyExists", "The route identified by " + cidr + " already exists.", false, null);
        }
        t.put(cidr, eniId);
    }

    private void fault() throws Ec2Error {
        if (throttled > 0) {
            throttled--;
            throw new Ec2Error("RequestLimitExceeded", "Request limit exceeded.", true, null);
        }
    }
}
