package dev.baton.aws;

import java.net.URI;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Instance;

/**
 * A VPC in moto with two instances ("nodes" a and b) in one subnet, an Elastic IP allocation and
 * a route table: what an operator has set up before Baton runs. Built through the SDK.
 */
final class MotoWorld {

    static final String REGION = "eu-west-1";
    /** Dummy credentials; tests assert they never reach a log line. */
    static final String KEY_ID = "AKIAWIRETESTKEYID000";
    static final String SECRET = "wire-test-secret-must-never-be-logged";

    final Ec2Client client;
    final String vpc;
    final String subnet;
    final String instanceA;
    final String eniA;
    final String instanceB;
    final String eniB;

    private MotoWorld(Ec2Client client) {
        this.client = client;
        vpc = client.createVpc(r -> r.cidrBlock("10.0.0.0/16")).vpc().vpcId();
        subnet = client.createSubnet(r -> r.vpcId(vpc).cidrBlock("10.0.1.0/24")).subnet().subnetId();
        String ami = client.describeImages(r -> { }).images().getFirst().imageId();
        var instances = client.runInstances(r -> r.imageId(ami).minCount(2).maxCount(2).subnetId(subnet)).instances();
        Instance a = instances.get(0);
        Instance b = instances.get(1);
        instanceA = a.instanceId();
        eniA = a.networkInterfaces().getFirst().networkInterfaceId();
        instanceB = b.instanceId();
        eniB = b.networkInterfaces().getFirst().networkInterfaceId();
    }

    static StaticCredentialsProvider credentials() {
        return StaticCredentialsProvider.create(AwsBasicCredentials.create(KEY_ID, SECRET));
    }

    static MotoWorld create(URI endpoint) {
        Ec2Client c = Ec2Client.builder().region(Region.of(REGION)).endpointOverride(endpoint)
                .credentialsProvider(credentials()).httpClientBuilder(UrlConnectionHttpClient.builder()).build();
        return new MotoWorld(c);
    }

    String allocate() {
        return client.allocateAddress(r -> r.domain("vpc")).allocationId();
    }

    String routeTable() {
        return client.createRouteTable(r -> r.vpcId(vpc)).routeTable().routeTableId();
    }

    java.util.List<String> privateIps(String eni) {
        return client.describeNetworkInterfaces(r -> r.networkInterfaceIds(eni)).networkInterfaces().getFirst()
                .privateIpAddresses().stream().map(p -> p.privateIpAddress()).toList();
    }

    String associatedEni(String allocationId) {
        String eni = client.describeAddresses(r -> r.allocationIds(allocationId)).addresses().getFirst().networkInterfaceId();
        return eni == null ? "" : eni;
    }

    String routeTarget(String table, String cidr) {
        return client.describeRouteTables(r -> r.routeTableIds(table)).routeTables().getFirst().routes().stream()
                .filter(x -> cidr.equals(x.destinationCidrBlock())).map(x -> x.networkInterfaceId()).findFirst().orElse("");
    }
}
