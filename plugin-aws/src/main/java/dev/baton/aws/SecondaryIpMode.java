package dev.baton.aws;

import dev.baton.api.Ownership;
import dev.baton.api.VipSet;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code secondary_ip}: the VIPs are secondary private addresses of our network interface.
 * AssignPrivateIpAddresses with AllowReassignment moves them from whichever interface of the
 * subnet had them; EC2 only delivers to the interface that lists the address. The address on the
 * operating system's interface is the arp provider's job, chained after this one.
 *
 * @see <a href="https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_AssignPrivateIpAddresses.html">AssignPrivateIpAddresses</a>
 */
final class SecondaryIpMode implements Ec2Mode {

    private final Ec2 ec2;
    private final String eniId;

    SecondaryIpMode(Ec2 ec2, String eniId) {
        this.ec2 = ec2;
        this.eniId = eniId;
    }

    @Override
    public void acquire(VipSet vips, Writer writer) throws Ec2Error {
        List<String> ips = Ec2Mode.addresses(vips);
        writer.write("AssignPrivateIpAddresses " + ips + " to " + eniId + " (AllowReassignment)",
                () -> ec2.assignPrivateIps(eniId, ips));
    }

    @Override
    public void release(VipSet vips, Writer writer) throws Ec2Error {
        List<String> ours = onOurInterface(vips);
        if (ours.isEmpty()) {
            return; // moved away already, or never here: nothing of ours to undo
        }
        try {
            // Scoped to our interface: should another node have taken an address since the read
            // above, EC2 refuses to unassign it from here rather than take it from them.
            writer.write("UnassignPrivateIpAddresses " + ours + " from " + eniId,
                    () -> ec2.unassignPrivateIps(eniId, ours));
        } catch (Ec2Error e) {
            if (e.retryable() || !onOurInterface(vips).isEmpty()) {
                throw e;
            }
            // Refused because the addresses left meanwhile: the outcome release wants.
        }
    }

    @Override
    public Ownership inspect(VipSet vips) throws Ec2Error {
        Set<String> mine = ec2.eni(eniId).privateIps();
        List<String> missing = new ArrayList<>();
        for (String ip : Ec2Mode.addresses(vips)) {
            if (!mine.contains(ip)) {
                missing.add(ip);
            }
        }
        if (missing.isEmpty()) {
            return Ownership.here();
        }
        Set<String> holders = new LinkedHashSet<>();
        for (String ip : missing) {
            for (String other : ec2.enisHolding(ip)) {
                if (!other.equals(eniId)) {
                    holders.add(other);
                }
            }
        }
        String detail = String.join(", ", missing) + " not on " + eniId;
        if (!holders.isEmpty()) {
            return new Ownership(Ownership.Status.ELSEWHERE, String.join(", ", holders), detail);
        }
        return Ownership.none(detail);
    }

    private List<String> onOurInterface(VipSet vips) throws Ec2Error {
        Set<String> mine = ec2.eni(eniId).privateIps();
        return Ec2Mode.addresses(vips).stream().filter(mine::contains).toList();
    }
}
