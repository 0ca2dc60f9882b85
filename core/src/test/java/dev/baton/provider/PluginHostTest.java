package dev.baton.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baton.api.Ownership;
import dev.baton.api.ProviderMetrics;
import dev.baton.api.ProviderSettings;
import dev.baton.api.Vip;
import dev.baton.api.VipProvider;
import dev.baton.api.VipSet;
import dev.baton.testkit.TestPlugins;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A plugin built during the test is loaded by PF4J, called through the contract, and unloaded. */
class PluginHostTest {

    @TempDir
    Path plugins;

    private static final VipSet VIPS = VipSet.of(new Vip(InetAddress.ofLiteral("10.99.0.50"), 24));

    private static EngineProviderContext context() {
        return new EngineProviderContext("n1", "web", "eth0", VIPS, false, "test", ProviderMetrics.none());
    }

    @Test
    void jarPluginIsLoadedCalledAndUnloaded() throws Exception {
        TestPlugins.jar(plugins, "test-plugin", "test.plugin.TestProvider", TestPlugins.testProviderSource());
        try (PluginHost host = PluginHost.load(plugins)) {
            assertThat(host.providerTypes()).containsExactly("test");
            assertThat(host.plugins()).singleElement().satisfies(p -> {
                assertThat(p.id()).isEqualTo("test-plugin");
                assertThat(p.version()).isEqualTo("1.0.0");
                assertThat(p.state()).isEqualTo("STARTED");
                assertThat(p.providerTypes()).containsExactly("test");
            });

            VipProvider provider = host.newProvider("test");
            // Loaded by the plugin's own class loader, seen through the API's interface.
            assertThat(provider.getClass().getClassLoader()).isNotSameAs(VipProvider.class.getClassLoader());
            provider.configure(new ProviderSettings(Map.of()), context());
            assertThat(provider.inspect(VIPS).status()).isEqualTo(Ownership.Status.NONE);
            provider.acquire(VIPS);
            assertThat(provider.inspect(VIPS).isHere()).isTrue();
            provider.release(VIPS);
            assertThat(provider.inspect(VIPS).status()).isEqualTo(Ownership.Status.NONE);
            provider.close();

            // Each call makes a new, independent provider object (one per instance of the config).
            assertThat(host.newProvider("test")).isNotSameAs(provider);

            assertThat(host.unload("test-plugin")).isTrue();
            assertThat(host.providerTypes()).isEmpty();
            assertThat(host.newProvider("test")).isNull();
            assertThat(host.plugins()).isEmpty();
        }
    }

    @Test
    void zipPluginInPf4jLayoutIsLoaded() throws Exception {
        TestPlugins.zip(plugins, "zipped", "test.plugin.TestProvider", TestPlugins.testProviderSource());
        try (PluginHost host = PluginHost.load(plugins)) {
            assertThat(host.providerTypes()).containsExactly("test");
            VipProvider p = host.newProvider("test");
            p.configure(new ProviderSettings(Map.of("acquire", "ok")), context());
            p.acquire(VIPS);
            assertThat(p.inspect(VIPS).isHere()).isTrue();
        }
    }

    @Test
    void twoPluginsClaimingOneTypeIsAClearError() throws Exception {
        TestPlugins.jar(plugins, "first", "test.plugin.TestProvider", TestPlugins.testProviderSource());
        TestPlugins.zip(plugins, "second", "test.plugin.TestProvider", TestPlugins.testProviderSource());
        assertThatThrownBy(() -> PluginHost.load(plugins))
                .hasMessageContaining("provider type 'test' comes from both plugin")
                .hasMessageContaining("first").hasMessageContaining("second");
    }

    @Test
    void missingFolderMeansNoPlugins() {
        try (PluginHost host = PluginHost.load(plugins.resolve("absent"))) {
            assertThat(host.providerTypes()).isEmpty();
            assertThat(host.plugins()).isEmpty();
        }
    }
}
