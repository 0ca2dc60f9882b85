package dev.baton.linode;

import dev.baton.testkit.TestProviderContext;
import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.api.ProviderConfigException;
import dev.baton.api.ProviderSettings;
import dev.baton.api.Vip;
import dev.baton.api.VipSet;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import mockwebserver3.MockWebServer;

/** A provider wired to a MockWebServer running {@link FakeLinode}, with a token file. */
final class Fixture implements AutoCloseable {

    static final Vip VIP = vip("10.99.0.50", 24);

    final MockWebServer server = new MockWebServer();
    final FakeLinode linode = new FakeLinode();
    final FakeClock clock = new FakeClock();
    final Path tokenFile;
    TestProviderContext context;
    LinodeProvider provider;

    Fixture() throws IOException {
        server.setDispatcher(linode);
        server.start();
        tokenFile = Files.createTempFile("linode", ".token");
        Files.writeString(tokenFile, FakeLinode.TOKEN + "\n");
    }

    static Vip vip(String address, int prefix) {
        return new Vip(InetAddress.ofLiteral(address), prefix);
    }

    /** Settings pointing at the fake: the given ones over token_file, api_url and metadata_url. */
    Map<String, Object> settings(Object... keyValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("token_file", tokenFile.toString());
        m.put("api_url", server.url("/v4").toString());
        m.put("metadata_url", server.url("/").toString());
        m.put("request_timeout", "2s");
        for (int i = 0; i < keyValues.length; i += 2) {
            m.put((String) keyValues[i], keyValues[i + 1]);
        }
        return m;
    }

    LinodeProvider configureFor(boolean dryRun, VipSet vips, Object... keyValues) throws ProviderConfigException {
        context = new TestProviderContext(vips, dryRun, "eth0");
        provider = new LinodeProvider(clock.timing());
        ProviderSettings s = new ProviderSettings(settings(keyValues));
        provider.configure(s, context);
        s.rejectUnknownKeys();
        return provider;
    }

    LinodeProvider configure(Object... keyValues) throws ProviderConfigException {
        return configureFor(false, VipSet.of(VIP), keyValues);
    }

    /** No log line and no recorded exception message may carry the token. */
    void assertTokenNeverLogged() {
        assertThat(context == null ? java.util.List.<String>of() : context.lines())
                .noneMatch(l -> l.contains(FakeLinode.TOKEN));
    }

    @Override
    public void close() throws IOException {
        if (provider != null) {
            provider.close();
        }
        if (context != null) {
            assertTokenNeverLogged();
        }
        server.close();
        Files.deleteIfExists(tokenFile);
    }
}
