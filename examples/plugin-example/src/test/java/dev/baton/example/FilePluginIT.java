package dev.baton.example;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baton.api.Ownership;
import dev.baton.api.ProviderConfigException;
import dev.baton.api.ProviderContext;
import dev.baton.api.ProviderException;
import dev.baton.api.ProviderMetrics;
import dev.baton.api.ProviderSettings;
import dev.baton.api.Vip;
import dev.baton.api.VipProvider;
import dev.baton.api.VipSet;
import dev.baton.provider.PluginHost;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The example plugin as the agent sees it: the zip {@code package} built, alone in a plugins
 * folder, loaded by the agent's own {@link PluginHost}. The provider class is not on this test's
 * class path (see the pom), so everything below goes through PF4J and the plugin's class loader.
 */
class FilePluginIT {

    private static final VipSet VIPS = VipSet.of(new Vip(InetAddress.ofLiteral("10.99.0.50"), 24),
            new Vip(InetAddress.ofLiteral("fd99::50"), 64));

    /** As Vip.toString() writes them: IPv6 uncompressed. */
    private static final String V4 = VIPS.asList().get(0).toString();
    private static final String V6 = VIPS.asList().get(1).toString();

    @TempDir
    Path dir;
    private PluginHost host;
    private final Map<String, AtomicInteger> counters = new ConcurrentHashMap<>();

    /** What the engine hands a provider, with counters the test can read. */
    private ProviderContext context(String node, boolean dryRun) {
        ProviderMetrics metrics = new ProviderMetrics() {
            @Override
            public Counter counter(String name, String help) {
                AtomicInteger n = counters.computeIfAbsent(name, k -> new AtomicInteger());
                return n::incrementAndGet;
            }

            @Override
            public Gauge gauge(String name, String help) {
                return v -> { };
            }
        };
        return new ProviderContext() {
            public String nodeName() { return node; }
            public String instanceName() { return "web"; }
            public String interfaceName() { return "eth0"; }
            public VipSet vips() { return VIPS; }
            public boolean dryRun() { return dryRun; }
            public System.Logger logger() { return System.getLogger("example"); }
            public long nanoTime() { return System.nanoTime(); }
            public ProviderMetrics metrics() { return metrics; }
        };
    }

    @BeforeEach
    void loadBuiltPlugin() throws Exception {
        Path zip = Path.of(System.getProperty("plugin.zip", "target/missing-plugin.zip"));
        assertThat(zip).as("the plugin zip built by package (run through failsafe: ./mvnw verify)").isRegularFile();
        Path plugins = Files.createDirectories(dir.resolve("plugins"));
        Files.copy(zip, plugins.resolve(zip.getFileName()));
        host = PluginHost.load(plugins);
    }

    @AfterEach
    void unload() {
        if (host != null) {
            host.close();
        }
    }

    private VipProvider configured(Path state, String node, boolean dryRun) throws ProviderConfigException {
        VipProvider p = host.newProvider("file");
        ProviderSettings settings = new ProviderSettings(Map.of("path", state.getFileName().toString()), "",
                k -> null, state.getParent());
        p.configure(settings, context(node, dryRun));
        settings.rejectUnknownKeys();
        return p;
    }

    @Test
    void loadsFromItsZipAndDrivesTheContract() throws Exception {
        assertThat(host.providerTypes()).containsExactly("file");
        assertThat(host.plugins()).singleElement().satisfies(p -> {
            assertThat(p.id()).isEqualTo("example");
            assertThat(p.providerTypes()).containsExactly("file");
        });
        VipProvider p = host.newProvider("file");
        assertThat(p.getClass().getClassLoader()).as("loaded by the plugin's class loader")
                .isNotSameAs(getClass().getClassLoader());

        Path state = dir.resolve("web.vips");
        p = configured(state, "lb1", false);
        assertThat(state).as("configure touches nothing").doesNotExist();
        assertThat(p.inspect(VIPS).status()).isEqualTo(Ownership.Status.NONE);

        p.acquire(VIPS);
        assertThat(Files.readAllLines(state)).containsExactly("holder=lb1", V4, V6);
        assertThat(p.inspect(VIPS)).isEqualTo(Ownership.here());
        p.acquire(VIPS); // the reconciler re-asserts: same result, no error
        assertThat(p.inspect(VIPS)).isEqualTo(Ownership.here());
        assertThat(counters.get("writes")).hasValue(2);

        // Only part of the set: NONE, so the reconciler re-asserts the whole set.
        Files.writeString(state, "holder=lb1\n" + V4 + "\n");
        assertThat(p.inspect(VIPS).status()).isEqualTo(Ownership.Status.NONE);
        assertThat(p.inspect(VIPS).detail()).contains(V6);

        // Another node took over: ELSEWHERE, and release leaves its file alone.
        Files.writeString(state, "holder=lb2\n" + V4 + "\n" + V6 + "\n");
        assertThat(p.inspect(VIPS)).isEqualTo(Ownership.elsewhere("lb2"));
        p.release(VIPS);
        assertThat(state).exists();

        p.acquire(VIPS);
        p.release(VIPS);
        assertThat(state).doesNotExist();
        p.release(VIPS); // idempotent
        assertThat(p.inspect(VIPS).status()).isEqualTo(Ownership.Status.NONE);
        assertThat(counters.get("removes")).hasValue(1);
        p.close();
    }

    @Test
    void dryRunChangesNothing() throws Exception {
        Path state = dir.resolve("dry.vips");
        VipProvider p = configured(state, "lb1", true);
        p.acquire(VIPS);
        assertThat(state).doesNotExist();
        assertThat(counters.get("writes")).hasValue(0);
        // The reconciler confirms an acquire by inspect: a dry run reads back what it acted out.
        assertThat(p.inspect(VIPS)).isEqualTo(Ownership.here());
        p.release(VIPS);
        assertThat(p.inspect(VIPS).status()).isEqualTo(Ownership.Status.NONE);
    }

    @Test
    void missingPathIsAConfigErrorNamingTheField() {
        VipProvider p = host.newProvider("file");
        assertThatThrownBy(() -> p.configure(new ProviderSettings(Map.of()), context("lb1", false)))
                .isInstanceOfSatisfying(ProviderConfigException.class, e -> {
                    assertThat(e.field()).isEqualTo("path");
                    assertThat(e.getMessage()).contains("state file");
                });
        assertThatThrownBy(() -> p.configure(new ProviderSettings(Map.of("path", "/run/baton/")), context("lb1", false)))
                .isInstanceOfSatisfying(ProviderConfigException.class, e -> assertThat(e.field()).isEqualTo("path"));
    }

    @Test
    void unreadableStateIsNotRetryable() throws Exception {
        Path state = dir.resolve("locked/web.vips");
        Files.createDirectories(state.getParent());
        VipProvider p = configured(state, "lb1", false);
        state.getParent().toFile().setWritable(false);
        try {
            Assumptions.assumeFalse(Files.isWritable(state.getParent()),
                    "running as root: permissions do not stop writes");
            assertThatThrownBy(() -> p.acquire(VIPS)).isInstanceOfSatisfying(ProviderException.class,
                    e -> assertThat(e.isRetryable()).as("a permission problem is not retried").isFalse());
        } finally {
            state.getParent().toFile().setWritable(true);
        }
    }
}
