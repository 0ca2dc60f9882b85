package dev.baton.it.aws;

import dev.baton.testkit.MotoServer;
import dev.baton.testkit.BatonProcess;
import dev.baton.testkit.LabConfig;
import dev.baton.testkit.LoggedProcess;
import dev.baton.testkit.NetnsLab;
import java.io.File;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Instance;

/**
 * The aws provider's lab: nodes n1, n2 (10.99.0.11, .12) running the installed agent, and moto's
 * EC2 server in a namespace of its own on the same bridge (10.99.0.100:5000), standing in for the
 * EC2 API. The test JVM reaches moto over a point-to-point veth from the root namespace
 * (10.99.254.x/30), to set up the VPC and to read EC2's view; deleting moto's namespace deletes it.
 * No real AWS anywhere: every client has an endpoint override and dummy credentials.
 */
final class AwsLab implements AutoCloseable {

    static final Duration WAIT = Duration.ofSeconds(60);
    static final String REGION = "eu-west-1";
    /** LabConfig's VIP; moto's VPC uses the lab's own range so it is a valid address of the subnet. */
    static final String VIP = "10.99.0.50";
    private static final String KEY_ID = "AKIALABTESTKEYID0000";
    private static final String SECRET = "lab-secret-must-never-be-logged";
    private static final int MOTO_PORT = 5000;

    final NetnsLab lab;
    final Map<String, NetnsLab.Host> hosts = new LinkedHashMap<>();
    final Map<String, LoggedProcess> nodes = new LinkedHashMap<>();
    final Map<String, String> enis = new LinkedHashMap<>();
    final Map<String, String> instances = new LinkedHashMap<>();
    private final NetnsLab.Host ec2Host;
    private final Ec2Client ec2;
    private final String vpc;
    private final String rootLink;

    AwsLab(String tag) throws IOException, InterruptedException {
        Path moto = MotoServer.executable();
        Assumptions.assumeTrue(moto != null, "moto_server not found on PATH or in /root/.pyenv/shims: aws lab skipped");
        lab = new NetnsLab(tag);
        try {
            hosts.put("n1", lab.host("n1", 1));
            hosts.put("n2", lab.host("n2", 2));
            ec2Host = lab.host("ec2", 90);
            // A /30 per lab, from 10.99.254.0/24: the root namespace's only way into the lab.
            int net = 4 * ThreadLocalRandom.current().nextInt(64);
            String rootAddr = "10.99.254." + (net + 1);
            String motoAddr = "10.99.254." + (net + 2);
            rootLink = "bawsv" + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x10000));
            run("ip", "link", "add", rootLink, "type", "veth", "peer", "name", "eth1", "netns", ec2Host.ns());
            run("ip", "addr", "add", rootAddr + "/30", "dev", rootLink);
            run("ip", "link", "set", rootLink, "up");
            lab.exec(ec2Host, "ip", "addr", "add", motoAddr + "/30", "dev", "eth1");
            lab.exec(ec2Host, "ip", "link", "set", "eth1", "up");
            lab.start(ec2Host, lab.workDir().resolve("moto.log"), List.of(moto.toString(), "-H", "0.0.0.0", "-p", String.valueOf(MOTO_PORT)));
            URI fromRoot = URI.create("http://" + motoAddr + ":" + MOTO_PORT);
            await("moto answers at " + fromRoot, WAIT, () -> MotoServer.answers(fromRoot));
            ec2 = Ec2Client.builder().region(Region.of(REGION)).endpointOverride(fromRoot)
                    .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(KEY_ID, SECRET)))
                    .httpClientBuilder(UrlConnectionHttpClient.builder()).build();
            vpc = ec2.createVpc(r -> r.cidrBlock("10.99.0.0/16")).vpc().vpcId();
            String subnet = ec2.createSubnet(r -> r.vpcId(vpc).cidrBlock("10.99.0.0/24")).subnet().subnetId();
            String ami = ec2.describeImages(r -> { }).images().getFirst().imageId();
            List<Instance> made = ec2.runInstances(r -> r.imageId(ami).minCount(2).maxCount(2).subnetId(subnet)).instances();
            for (int i = 0; i < 2; i++) {
                instances.put("n" + (i + 1), made.get(i).instanceId());
                enis.put("n" + (i + 1), made.get(i).networkInterfaces().getFirst().networkInterfaceId());
            }
        } catch (IOException | InterruptedException | RuntimeException | Error e) {
            lab.close();
            throw e;
        }
    }

    String allocate() {
        return ec2.allocateAddress(r -> r.domain("vpc")).allocationId();
    }

    /** Which interface EC2 (moto) says the Elastic IP is associated with; "" when none. */
    String associatedEni(String allocationId) {
        String eni = ec2.describeAddresses(r -> r.allocationIds(allocationId)).addresses().getFirst().networkInterfaceId();
        return eni == null ? "" : eni;
    }

    List<String> privateIps(String node) {
        return ec2.describeNetworkInterfaces(r -> r.networkInterfaceIds(enis.get(node))).networkInterfaces().getFirst()
                .privateIpAddresses().stream().map(p -> p.privateIpAddress()).toList();
    }

    /** The node's config: VRRPv3 on eth0 at 1 s adverts, the aws provider with {@code providerKeys} against moto. */
    String config(String name, int priority, String providerKeys) {
        NetnsLab.Host self = hosts.get(name);
        List<NetnsLab.Host> peers = hosts.values().stream().filter(h -> h != self).toList();
        return LabConfig.of(self, peers).priority(priority).interval("1s").yaml()
                + "    providers:\n"
                + "      - type: aws\n"
                + "        region: " + REGION + "\n"
                + "        eni_id: " + enis.get(name) + "\n"
                + "        instance_id: " + instances.get(name) + "\n"
                + "        endpoint: http://" + ec2Host.ipv4() + ":" + MOTO_PORT + "\n"
                + providerKeys;
    }

    /**
     * Starts {@code bin/baton run} in the node's namespace with credentials where the SDK's default
     * chain finds them (the environment), and IMDS off: the lab has none.
     */
    LoggedProcess baton(String name, String config) throws IOException {
        NetnsLab.Host h = hosts.get(name);
        Path file = lab.workDir().resolve(name + ".yaml");
        Files.writeString(file, config);
        Path log = lab.workDir().resolve(name + "-baton.log");
        String launcher = BatonProcess.home().resolve("bin/baton").toString();
        LoggedProcess p = new LoggedProcess(lab.start(h, log, List.of("env", "AWS_ACCESS_KEY_ID=" + KEY_ID,
                "AWS_SECRET_ACCESS_KEY=" + SECRET, "AWS_EC2_METADATA_DISABLED=true", launcher, "run", "-c", file.toString())), log);
        nodes.put(name, p);
        return p;
    }

    /** Waits for the {@code n}th entry into {@code state}. */
    Matcher awaitState(String node, String state, int n) throws InterruptedException {
        return nodes.get(node).await(Pattern.compile("instance web: \\w+ -> " + state + " \\((.*)\\)$"), n, WAIT);
    }

    /** A dead machine: cable out, process killed. It can release nothing. */
    void crash(String name) throws IOException {
        lab.crash(hosts.get(name), nodes.get(name));
    }

    boolean anyLogContainsTheSecret() {
        return nodes.values().stream().anyMatch(p -> p.lines().stream().anyMatch(l -> l.contains(SECRET)));
    }

    String logs() {
        StringBuilder b = new StringBuilder();
        nodes.forEach((n, p) -> b.append("---- ").append(n).append('\n').append(String.join("\n", p.lines())).append('\n'));
        return b.toString();
    }

    static void await(String what, Duration max, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + max.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + max.toSeconds() + "s waiting for: " + what);
            }
            Thread.sleep(100);
        }
    }

    @Override
    public void close() {
        if (ec2 != null) {
            ec2.close();
        }
        lab.close(); // deleting moto's namespace deletes both ends of the root veth
        try {
            run("ip", "link", "del", rootLink); // normally already gone
        } catch (IOException e) {
            // gone with the namespace
        }
    }


    private static void run(String... cmd) throws IOException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        try {
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new IOException(String.join(" ", cmd) + " failed: " + out.strip());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }
}
