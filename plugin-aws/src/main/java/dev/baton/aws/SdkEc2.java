package dev.baton.aws;

import dev.baton.api.ProviderMetrics;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.Ec2ClientBuilder;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.NetworkInterface;
import software.amazon.awssdk.services.ec2.model.NetworkInterfacePrivateIpAddress;
import software.amazon.awssdk.services.ec2.model.RouteState;
import software.amazon.awssdk.services.ec2.model.RouteTable;

/**
 * {@link Ec2} through aws-sdk-java-v2 over the JDK's HttpURLConnection. Built once, at start-up:
 * standard retry mode (3 attempts, throttling-aware backoff, a retry quota), a bound on each HTTP
 * attempt and on each call including its retries.
 */
final class SdkEc2 implements Ec2 {

    /** How the client is built; the credentials provider is the SDK's default chain in the agent. */
    record Options(String region, URI endpoint, Duration attemptTimeout, Duration callTimeout,
                   AwsCredentialsProvider credentials) {}

    private final Ec2Client client;

    SdkEc2(Options o, ProviderMetrics metrics) {
        ProviderMetrics.Counter attempts = metrics.counter("api_attempts", "HTTP requests sent to the EC2 API, retries included");
        ProviderMetrics.Counter failures = metrics.counter("api_failures", "EC2 API calls that failed after the SDK's retries");
        Ec2ClientBuilder b = Ec2Client.builder()
                .region(Region.of(o.region()))
                .credentialsProvider(o.credentials())
                .httpClientBuilder(UrlConnectionHttpClient.builder()
                        .connectionTimeout(min(o.attemptTimeout(), Duration.ofSeconds(2)))
                        .socketTimeout(o.attemptTimeout()))
                .overrideConfiguration(c -> c
                        .retryStrategy(RetryMode.STANDARD)
                        .apiCallAttemptTimeout(o.attemptTimeout())
                        .apiCallTimeout(o.callTimeout())
                        .addExecutionInterceptor(new ExecutionInterceptor() {
                            @Override
                            public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
                                attempts.increment();
                            }

                            @Override
                            public void onExecutionFailure(Context.FailedExecution context, ExecutionAttributes attributes) {
                                failures.increment();
                            }
                        }));
        if (o.endpoint() != null) {
            b.endpointOverride(o.endpoint());
        }
        client = b.build();
    }

    @Override
    public Eni eni(String eniId) throws Ec2Error {
        List<NetworkInterface> found = call(() -> client.describeNetworkInterfaces(r -> r.networkInterfaceIds(eniId))
                .networkInterfaces());
        if (found.isEmpty()) {
            throw new Ec2Error("InvalidNetworkInterfaceID.NotFound", "network interface " + eniId + " not found", false, null);
        }
        NetworkInterface n = found.getFirst();
        Set<String> ips = new LinkedHashSet<>();
        for (NetworkInterfacePrivateIpAddress a : n.privateIpAddresses()) {
            ips.add(a.privateIpAddress());
        }
        String instance = n.attachment() == null || n.attachment().instanceId() == null ? "" : n.attachment().instanceId();
        return new Eni(n.networkInterfaceId(), instance, ips, !Boolean.FALSE.equals(n.sourceDestCheck()));
    }

    @Override
    public List<String> enisHolding(String ip) throws Ec2Error {
        return call(() -> client.describeNetworkInterfaces(r -> r.filters(
                        Filter.builder().name("addresses.private-ip-address").values(ip).build()))
                .networkInterfaces().stream().map(NetworkInterface::networkInterfaceId).toList());
    }

    @Override
    public void assignPrivateIps(String eniId, List<String> ips) throws Ec2Error {
        call(() -> client.assignPrivateIpAddresses(r -> r.networkInterfaceId(eniId).privateIpAddresses(ips)
                .allowReassignment(true)));
    }

    @Override
    public void unassignPrivateIps(String eniId, List<String> ips) throws Ec2Error {
        call(() -> client.unassignPrivateIpAddresses(r -> r.networkInterfaceId(eniId).privateIpAddresses(ips)));
    }

    @Override
    public Address address(String allocationId) throws Ec2Error {
        var found = call(() -> client.describeAddresses(r -> r.allocationIds(allocationId)).addresses());
        if (found.isEmpty()) {
            throw new Ec2Error("InvalidAllocationID.NotFound", "allocation " + allocationId + " not found", false, null);
        }
        var a = found.getFirst();
        return new Address(a.allocationId(), orEmpty(a.publicIp()), orEmpty(a.associationId()),
                orEmpty(a.networkInterfaceId()), orEmpty(a.privateIpAddress()));
    }

    @Override
    public void associateAddress(String allocationId, String eniId, String privateIp) throws Ec2Error {
        call(() -> client.associateAddress(r -> r.allocationId(allocationId).networkInterfaceId(eniId)
                .privateIpAddress(privateIp).allowReassociation(true)));
    }

    @Override
    public void disassociateAddress(String associationId) throws Ec2Error {
        call(() -> client.disassociateAddress(r -> r.associationId(associationId)));
    }

    @Override
    public Map<String, Route> routes(List<String> tables, String cidr) throws Ec2Error {
        List<RouteTable> found = call(() -> client.describeRouteTables(r -> r.routeTableIds(tables)).routeTables());
        Map<String, Route> out = new LinkedHashMap<>();
        for (RouteTable t : found) {
            for (var r : t.routes()) {
                if (cidr.equals(r.destinationCidrBlock())) {
                    out.put(t.routeTableId(), new Route(targetOf(r), r.state() != RouteState.BLACKHOLE));
                }
            }
        }
        return out;
    }

    @Override
    public void replaceRoute(String table, String cidr, String eniId) throws Ec2Error {
        call(() -> client.replaceRoute(r -> r.routeTableId(table).destinationCidrBlock(cidr).networkInterfaceId(eniId)));
    }

    @Override
    public void createRoute(String table, String cidr, String eniId) throws Ec2Error {
        call(() -> client.createRoute(r -> r.routeTableId(table).destinationCidrBlock(cidr).networkInterfaceId(eniId)));
    }

    @Override
    public void close() {
        client.close();
    }

    private static String targetOf(software.amazon.awssdk.services.ec2.model.Route r) {
        List<String> candidates = new ArrayList<>();
        candidates.add(r.networkInterfaceId());
        candidates.add(r.instanceId());
        candidates.add(r.gatewayId());
        candidates.add(r.natGatewayId());
        candidates.add(r.transitGatewayId());
        candidates.add(r.vpcPeeringConnectionId());
        for (String c : candidates) {
            if (c != null && !c.isEmpty()) {
                return c;
            }
        }
        return "unknown target";
    }

    /**
     * Runs one SDK call and turns its failure into an {@link Ec2Error}: throttling, 5xx and
     * failures without an answer are retryable (the SDK already retried them), other 4xx are not.
     */
    private static <T> T call(Supplier<T> body) throws Ec2Error {
        try {
            return body.get();
        } catch (AwsServiceException e) {
            String code = e.awsErrorDetails() == null || e.awsErrorDetails().errorCode() == null
                    ? "HTTP" + e.statusCode() : e.awsErrorDetails().errorCode();
            String message = e.awsErrorDetails() == null || e.awsErrorDetails().errorMessage() == null
                    ? e.getMessage() : e.awsErrorDetails().errorMessage();
            boolean retryable = e.isThrottlingException() || e.statusCode() >= 500 || e.statusCode() == 408;
            throw new Ec2Error(code, message + " (request " + e.requestId() + ")", retryable, e);
        } catch (SdkException e) {
            // No answer (timeout, refused, DNS) or no credentials: the message says which, never a key.
            throw new Ec2Error(Ec2Error.CLIENT, e.getMessage(), true, e);
        }
    }

    private static String orEmpty(String s) {
        return s == null ? "" : s;
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) < 0 ? a : b;
    }
}
