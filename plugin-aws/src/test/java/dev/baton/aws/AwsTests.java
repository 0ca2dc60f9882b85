package dev.baton.aws;

import dev.baton.api.ProviderContext;
import dev.baton.api.ProviderMetrics;
import dev.baton.api.ProviderSettings;
import dev.baton.api.Vip;
import dev.baton.api.VipSet;
import dev.baton.testkit.TestProviderContext;
import java.net.InetAddress;
import java.text.MessageFormat;
import java.util.List;
import java.util.Map;
import java.util.ResourceBundle;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/** Shared set-up of the aws tests: VIP sets and a started provider over an EC2 seam. */
final class AwsTests {

    private AwsTests() {}

    static VipSet vips(String... addresses) {
        return VipSet.of(java.util.Arrays.stream(addresses).map(a -> new Vip(InetAddress.ofLiteral(a), 32)).toList());
    }

    /** A configured, started provider over {@code ec2}. */
    static AwsProvider provider(Ec2 ec2, TestProviderContext context, Map<String, ?> settings) throws Exception {
        AwsProvider p = new AwsProvider((s, region, m) -> ec2, java.nio.file.Path.of("/nonexistent"));
        ProviderSettings ps = new ProviderSettings(settings);
        p.configure(ps, context);
        ps.rejectUnknownKeys();
        p.start();
        return p;
    }
}
