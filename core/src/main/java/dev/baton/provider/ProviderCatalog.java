package dev.baton.provider;

import dev.baton.api.VipProvider;
import java.util.Set;

/** Where provider objects come from: the {@link PluginHost} in the agent, a fixed set in tests. */
public interface ProviderCatalog {

    Set<String> providerTypes();

    /** A new, unconfigured provider of {@code type}, or null when there is none. */
    VipProvider newProvider(String type);
}
