package dev.baton.aws;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The few EC2 operations the provider uses, in the provider's words. {@link SdkEc2} speaks them
 * to EC2 (or moto) through aws-sdk-java-v2; tests also run the provider against an in-memory EC2
 * that behaves as the API reference documents where moto does not.
 *
 * <p>Every method fails with {@link Ec2Error}, carrying the EC2 error code, so that the decisions
 * taken on errors (fall back to CreateRoute, "already gone" on release, retry or fault) are the
 * same code whatever answers.
 */
interface Ec2 extends AutoCloseable {

    /** A network interface as DescribeNetworkInterfaces reports it. */
    record Eni(String id, String instanceId, Set<String> privateIps, boolean sourceDestCheck) {}

    /**
     * An Elastic IP as DescribeAddresses reports it.
     *
     * @param associationId empty when not associated
     * @param eniId the network interface it is associated with, empty when none
     * @param privateIp the private address it maps to, empty when none
     */
    record Address(String allocationId, String publicIp, String associationId, String eniId, String privateIp) {
        boolean associated() {
            return !associationId.isEmpty();
        }
    }

    /**
     * Where a route sends traffic.
     *
     * @param target the ENI id when it points at a network interface, else the instance, gateway...
     * @param active false when its state is {@code blackhole} (target stopped or gone)
     */
    record Route(String target, boolean active) {}

    /** DescribeNetworkInterfaces of one interface. */
    Eni eni(String eniId) throws Ec2Error;

    /**
     * DescribeNetworkInterfaces filtered on {@code addresses.private-ip-address}: the interfaces
     * listing {@code ip}. Best effort: moto only matches primary addresses here.
     */
    List<String> enisHolding(String ip) throws Ec2Error;

    /** AssignPrivateIpAddresses with AllowReassignment: moves the addresses from any other interface. */
    void assignPrivateIps(String eniId, List<String> ips) throws Ec2Error;

    /** UnassignPrivateIpAddresses: scoped to {@code eniId}, never touches another interface. */
    void unassignPrivateIps(String eniId, List<String> ips) throws Ec2Error;

    /** DescribeAddresses of one allocation. */
    Address address(String allocationId) throws Ec2Error;

    /** AssociateAddress with AllowReassociation; {@code privateIp} null: the interface's primary address. */
    void associateAddress(String allocationId, String eniId, String privateIp) throws Ec2Error;

    /** DisassociateAddress of one association: fails if that association no longer exists. */
    void disassociateAddress(String associationId) throws Ec2Error;

    /** DescribeRouteTables: the route for {@code cidr} in each of {@code tables}; a table without one is absent. */
    Map<String, Route> routes(List<String> tables, String cidr) throws Ec2Error;

    /** ReplaceRoute of {@code cidr} to {@code eniId}: fails when the table has no such route. */
    void replaceRoute(String table, String cidr, String eniId) throws Ec2Error;

    /** CreateRoute of {@code cidr} to {@code eniId}. */
    void createRoute(String table, String cidr, String eniId) throws Ec2Error;

    @Override
    default void close() {}
}
