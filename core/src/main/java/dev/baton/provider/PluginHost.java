package dev.baton.provider;

import dev.baton.api.VipProvider;
import java.lang.reflect.InvocationTargetException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.pf4j.DefaultPluginManager;
import org.pf4j.PluginManager;
import org.pf4j.PluginWrapper;

/**
 * Loads provider plugins with PF4J from a folder (zip files or directories, PF4J's layouts) and
 * creates {@link VipProvider} objects by their {@code type}. Each instance of the config gets its
 * own provider object, so providers keep per-instance state without sharing.
 */
public final class PluginHost implements ProviderCatalog, AutoCloseable {

    /** What {@code baton plugins} prints. */
    public record PluginInfo(String id, String version, String state, Path path, List<String> providerTypes) {}

    private final Path folder;
    private final PluginManager manager;
    private final Map<String, Class<? extends VipProvider>> byType = new TreeMap<>();
    private final Map<String, String> typeToPlugin = new TreeMap<>();

    private PluginHost(Path folder) {
        this.folder = folder;
        // PF4J reads pf4j.mode; development mode would look for ../plugins and target/classes.
        System.setProperty("pf4j.mode", "deployment");
        this.manager = new DefaultPluginManager(folder);
    }

    /**
     * Loads and starts every plugin in {@code folder}; a missing folder means no plugins.
     *
     * @throws IllegalStateException when two plugins claim one provider type, naming both
     */
    public static PluginHost load(Path folder) {
        PluginHost host = new PluginHost(folder);
        if (Files.isDirectory(folder)) {
            host.manager.loadPlugins();
            host.manager.startPlugins();
        }
        host.index();
        return host;
    }

    private void index() {
        byType.clear();
        typeToPlugin.clear();
        for (Class<? extends VipProvider> c : manager.getExtensionClasses(VipProvider.class)) {
            String type = instantiate(c).type();
            PluginWrapper plugin = manager.whichPlugin(c);
            String owner = plugin == null ? "the agent" : "plugin " + plugin.getPluginId();
            String previous = typeToPlugin.putIfAbsent(type, owner);
            if (previous != null) {
                throw new IllegalStateException("provider type '" + type + "' comes from both " + previous + " and " + owner
                        + "; remove one of them from " + folder);
            }
            byType.put(type, c);
        }
    }

    public Path folder() {
        return folder;
    }

    @Override
    public Set<String> providerTypes() {
        return byType.keySet();
    }

    /** A new, unconfigured provider of {@code type}, or null when no plugin provides it. */
    @Override
    public VipProvider newProvider(String type) {
        Class<? extends VipProvider> c = byType.get(type);
        return c == null ? null : instantiate(c);
    }

    public List<PluginInfo> plugins() {
        List<PluginInfo> out = new ArrayList<>();
        for (PluginWrapper w : manager.getPlugins()) {
            List<String> types = new ArrayList<>();
            typeToPlugin.forEach((type, owner) -> {
                if (owner.equals("plugin " + w.getPluginId())) {
                    types.add(type);
                }
            });
            out.add(new PluginInfo(w.getPluginId(), w.getDescriptor().getVersion(), w.getPluginState().toString(),
                    w.getPluginPath(), types));
        }
        return out;
    }

    /**
     * Stops and unloads one plugin; its class loader is closed, so providers created from it must
     * have been closed first. Returns false when no such plugin is loaded.
     */
    public boolean unload(String pluginId) {
        boolean done = manager.unloadPlugin(pluginId);
        index();
        return done;
    }

    @Override
    public void close() {
        // Not stopPlugins(): in PF4J 3.15.0 it removes from the list it iterates and throws
        // ConcurrentModificationException once a plugin is started. unloadPlugins() iterates a
        // copy and stops each plugin before unloading it.
        manager.unloadPlugins();
        byType.clear();
    }

    private static VipProvider instantiate(Class<? extends VipProvider> c) {
        try {
            return c.getDeclaredConstructor().newInstance();
        } catch (InvocationTargetException e) {
            throw new IllegalStateException("provider " + c.getName() + " failed to construct: " + e.getCause(), e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("provider " + c.getName() + " needs a public no-argument constructor", e);
        }
    }
}
