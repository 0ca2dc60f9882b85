package dev.baton.aws;

import dev.baton.api.Ownership;
import dev.baton.api.VipSet;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code route_table}: a /32 route for each VIP to our network interface in each listed route
 * table, for a VIP outside the subnets (routed, not ARPed). ReplaceRoute when the route exists,
 * else CreateRoute. The instance must not drop packets addressed to an address it does not own:
 * its interface needs source/destination check off.
 *
 * <p>Release leaves the route where it is: DeleteRoute is not conditional, so a backup deleting
 * "its" route can delete the route the new master just wrote. A route to a backup is replaced by
 * the next master's acquire.
 *
 * @see <a href="https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_ReplaceRoute.html">ReplaceRoute</a>
 * @see <a href="https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateRoute.html">CreateRoute</a>
 */
final class RouteTableMode implements Ec2Mode {

    private final Ec2 ec2;
    private final String eniId;
    private final List<String> tables;

    RouteTableMode(Ec2 ec2, String eniId, List<String> tables) {
        this.ec2 = ec2;
        this.eniId = eniId;
        this.tables = List.copyOf(tables);
    }

    @Override
    public void acquire(VipSet vips, Writer writer) throws Ec2Error {
        for (String ip : Ec2Mode.addresses(vips)) {
            String cidr = ip + "/32";
            for (String table : tables) {
                point(table, cidr, writer);
            }
        }
    }

    private void point(String table, String cidr, Writer writer) throws Ec2Error {
        try {
            writer.write("ReplaceRoute " + cidr + " in " + table + " to " + eniId, () -> ec2.replaceRoute(table, cidr, eniId));
            return;
        } catch (Ec2Error e) {
            // No such route yet. EC2 answers InvalidParameterValue ("There is no route defined for
            // ... Use CreateRoute instead"); InvalidRoute.NotFound is accepted too.
            if (!e.code().equals("InvalidParameterValue") && !e.code().equals("InvalidRoute.NotFound")) {
                throw e;
            }
        }
        try {
            writer.write("CreateRoute " + cidr + " in " + table + " to " + eniId, () -> ec2.createRoute(table, cidr, eniId));
        } catch (Ec2Error e) {
            if (!e.code().equals("RouteAlreadyExists")) {
                throw e;
            }
            // Another node created it between our two calls: now it exists, so replace it.
            writer.write("ReplaceRoute " + cidr + " in " + table + " to " + eniId, () -> ec2.replaceRoute(table, cidr, eniId));
        }
    }

    @Override
    public void release(VipSet vips, Writer writer) {
        // Deliberately nothing: see the class comment.
    }

    @Override
    public Ownership inspect(VipSet vips) throws Ec2Error {
        Set<String> elsewhere = new LinkedHashSet<>();
        List<String> problems = new ArrayList<>();
        for (String ip : Ec2Mode.addresses(vips)) {
            String cidr = ip + "/32";
            Map<String, Ec2.Route> routes = ec2.routes(tables, cidr);
            for (String table : tables) {
                Ec2.Route r = routes.get(table);
                if (r == null) {
                    problems.add(table + " has no route for " + cidr);
                } else if (!r.target().equals(eniId)) {
                    elsewhere.add(r.target());
                    problems.add(table + " sends " + cidr + " to " + r.target());
                } else if (!r.active()) {
                    problems.add(table + " route for " + cidr + " is a blackhole");
                }
            }
        }
        if (problems.isEmpty()) {
            return Ownership.here();
        }
        String detail = String.join("; ", problems);
        if (!elsewhere.isEmpty()) {
            return new Ownership(Ownership.Status.ELSEWHERE, String.join(", ", elsewhere), detail);
        }
        return Ownership.none(detail);
    }

    /** Whether EC2 would drop packets for the VIP at our interface. */
    boolean sourceDestCheckOn() throws Ec2Error {
        return ec2.eni(eniId).sourceDestCheck();
    }
}
