package dev.baton.agent;

import dev.baton.api.ProviderConfigException;
import dev.baton.api.ProviderSettings;
import dev.baton.api.VipProvider;
import dev.baton.config.BatonConfig;
import dev.baton.config.ConfigException;
import dev.baton.config.InstanceConfig;
import dev.baton.config.ProviderConfig;
import dev.baton.ops.Metrics;
import dev.baton.provider.EngineProviderContext;
import dev.baton.provider.ProviderCatalog;
import dev.baton.provider.ProviderStep;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Creates and configures every instance's provider chain. Used by {@code baton validate} and
 * {@code baton run} alike, so a provider setting that validates also starts. Errors from plugins
 * come back as {@link ConfigException}s pointing at the config line.
 */
final class ProviderBinder {

    private ProviderBinder() {}

    /**
     * Binds the chains of {@code instances} (all of {@code config}'s at start-up, the added and
     * restarted ones on a reload). The map is mutable: the agent takes chains out as it starts them.
     */
    static Map<String, List<ProviderStep>> bind(BatonConfig config, List<InstanceConfig> instances, ProviderCatalog catalog,
                                                Metrics metrics, Function<String, String> env) throws ConfigException {
        return bind(config, instances, catalog, metrics, env, EngineProviderContext.Rivals.NONE);
    }

    static Map<String, List<ProviderStep>> bind(BatonConfig config, List<InstanceConfig> instances, ProviderCatalog catalog,
                                                Metrics metrics, Function<String, String> env,
                                                EngineProviderContext.Rivals rivals) throws ConfigException {
        Map<String, List<ProviderStep>> chains = new LinkedHashMap<>();
        try {
            for (InstanceConfig ic : instances) {
                chains.put(ic.name(), chain(config, ic, catalog, metrics, env, rivals, chains));
            }
        } catch (ConfigException | RuntimeException e) {
            closeAll(chains.values());
            throw e;
        }
        return chains;
    }

    private static List<ProviderStep> chain(BatonConfig config, InstanceConfig ic, ProviderCatalog catalog, Metrics metrics,
                                            Function<String, String> env, EngineProviderContext.Rivals rivals,
                                            Map<String, List<ProviderStep>> done)
            throws ConfigException {
        List<ProviderStep> steps = new ArrayList<>();
        Map<String, Integer> seen = new HashMap<>();
        done.put(ic.name(), steps); // so a failure below closes what this chain opened too
        for (ProviderConfig pc : ic.providers()) {
            VipProvider provider = catalog.newProvider(pc.type());
            if (provider == null) {
                String known = catalog.providerTypes().isEmpty() ? "none are installed"
                        : "installed: " + String.join(", ", catalog.providerTypes());
                throw config.locator().error(pc.path() + ".type", "no plugin provides type '" + pc.type() + "' (" + known + ")");
            }
            int n = seen.merge(pc.type(), 1, Integer::sum);
            String name = n == 1 ? pc.type() : pc.type() + "#" + n;
            steps.add(new ProviderStep(name, provider, pc.timeout(), pc.retries()));
            ProviderSettings settings = new ProviderSettings(pc.settings(), "", env, config.baseDir());
            var context = new EngineProviderContext(config.nodeName(), ic.name(), ic.interfaceName(), ic.vipSet(),
                    pc.dryRun(), pc.type(), metrics.forProvider(pc.type(), ic.name()), rivals);
            try {
                provider.configure(settings, context);
                settings.rejectUnknownKeys();
            } catch (ProviderConfigException e) {
                String field = e.field().isEmpty() ? pc.path() : pc.path() + "." + e.field();
                throw config.locator().error(field, e.getMessage());
            } catch (RuntimeException e) {
                throw config.locator().error(pc.path(), "provider " + pc.type() + " failed to configure: " + e);
            }
        }
        return steps;
    }

    static void closeAll(java.util.Collection<List<ProviderStep>> chains) {
        for (List<ProviderStep> steps : chains) {
            for (ProviderStep s : steps) {
                try {
                    s.provider().close();
                } catch (RuntimeException ignored) {
                    // closing on the way out; the original error is the one to report
                }
            }
        }
    }
}
