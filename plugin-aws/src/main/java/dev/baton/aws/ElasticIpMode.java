package dev.baton.aws;

import dev.baton.api.Ownership;
import dev.baton.api.VipSet;

/**
 * {@code elastic_ip}: an Elastic IP associated with our network interface (and a private address
 * of it, else its primary one). AssociateAddress with AllowReassociation moves it in one call;
 * release disassociates by association id, so it can only undo our own association.
 *
 * @see <a href="https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_AssociateAddress.html">AssociateAddress</a>
 * @see <a href="https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DisassociateAddress.html">DisassociateAddress</a>
 */
final class ElasticIpMode implements Ec2Mode {

    private final Ec2 ec2;
    private final String eniId;
    private final String allocationId;
    /** null: the interface's primary address, whichever EC2 reports. */
    private final String privateIp;

    ElasticIpMode(Ec2 ec2, String eniId, String allocationId, String privateIp) {
        this.ec2 = ec2;
        this.eniId = eniId;
        this.allocationId = allocationId;
        this.privateIp = privateIp;
    }

    @Override
    public void acquire(VipSet vips, Writer writer) throws Ec2Error {
        writer.write("AssociateAddress " + allocationId + " to " + eniId + (privateIp == null ? "" : " " + privateIp)
                + " (AllowReassociation)", () -> ec2.associateAddress(allocationId, eniId, privateIp));
    }

    @Override
    public void release(VipSet vips, Writer writer) throws Ec2Error {
        Ec2.Address a = ec2.address(allocationId);
        if (!a.associated() || !a.eniId().equals(eniId)) {
            return;
        }
        try {
            writer.write("DisassociateAddress " + a.associationId() + " (" + a.publicIp() + " from " + eniId + ")",
                    () -> ec2.disassociateAddress(a.associationId()));
        } catch (Ec2Error e) {
            if (!e.code().equals("InvalidAssociationID.NotFound")) {
                throw e;
            }
            // Reassociated by another node since the read: that association is theirs to keep.
        }
    }

    @Override
    public Ownership inspect(VipSet vips) throws Ec2Error {
        Ec2.Address a = ec2.address(allocationId);
        if (!a.associated()) {
            return Ownership.none(allocationId + " (" + a.publicIp() + ") is not associated");
        }
        boolean ourInterface = a.eniId().equals(eniId);
        if (ourInterface && (privateIp == null || privateIp.equals(a.privateIp()))) {
            return Ownership.here();
        }
        String holder = a.eniId().isEmpty() ? "another instance" : a.eniId();
        return new Ownership(Ownership.Status.ELSEWHERE, holder + (a.privateIp().isEmpty() ? "" : " " + a.privateIp()),
                a.publicIp() + " associated with " + holder);
    }
}
