package dev.baton.testkit;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/**
 * Builds real PF4J plugins during a test: compiles sources against the test class path (baton-api
 * and PF4J, whose annotation processor writes the extension index) and packages them.
 */
public final class TestPlugins {

    private TestPlugins() {}

    /** The source of a configurable test provider, {@code type: test}, behaviour chosen by settings. */
    public static String testProviderSource() {
        return """
                package test.plugin;

                import dev.baton.api.*;
                import org.pf4j.Extension;

                @Extension
                public class TestProvider implements VipProvider {
                    private String acquireMode;
                    private ProviderContext context;
                    private volatile boolean held;

                    public String type() { return "test"; }

                    public void configure(ProviderSettings s, ProviderContext c) throws ProviderConfigException {
                        acquireMode = s.choice("acquire", "ok", "ok", "hang", "throw", "crash");
                        context = c;
                    }

                    public void acquire(VipSet vips) throws ProviderException {
                        context.metrics().counter("acquire_started", "acquire calls").increment();
                        context.metrics().gauge("in_acquire", "1 while an acquire runs").set(1);
                        try {
                            switch (acquireMode) {
                                case "hang" -> {
                                    try { Thread.sleep(Long.MAX_VALUE); }
                                    catch (InterruptedException e) { throw new ProviderException("interrupted"); }
                                }
                                case "throw" -> throw new ProviderException("no route to the cloud API");
                                case "crash" -> throw new IllegalStateException("bug in plugin");
                                default -> held = true;
                            }
                        } finally {
                            context.metrics().gauge("in_acquire", "1 while an acquire runs").set(0);
                        }
                    }

                    public void release(VipSet vips) {
                        context.metrics().counter("release_called", "release calls").increment();
                        held = false;
                    }

                    public Ownership inspect(VipSet vips) {
                        return held ? Ownership.here() : Ownership.none("not held");
                    }
                }
                """;
    }

    /** Compiles {@code source} (one public class) into {@code classesDir}, annotation processing on. */
    public static void compile(String className, String source, Path classesDir) throws IOException {
        Path src = Files.createTempDirectory("baton-plugin-src");
        Path file = src.resolve(className.replace('.', '/') + ".java");
        Files.createDirectories(file.getParent());
        Files.writeString(file, source);
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        List<String> args = new ArrayList<>(List.of("-proc:full", "-classpath", System.getProperty("java.class.path"),
                "-d", classesDir.toString(), file.toString()));
        int rc = javac.run(null, null, null, args.toArray(String[]::new));
        if (rc != 0) {
            throw new IOException("javac failed with " + rc);
        }
    }

    /** A plugin as one jar: classes plus MANIFEST descriptor. */
    public static Path jar(Path pluginsDir, String pluginId, String className, String source) throws IOException {
        Path classes = Files.createTempDirectory("baton-plugin-classes");
        compile(className, source, classes);
        Manifest mf = new Manifest();
        mf.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        mf.getMainAttributes().putValue("Plugin-Id", pluginId);
        mf.getMainAttributes().putValue("Plugin-Version", "1.0.0");
        Files.createDirectories(pluginsDir);
        Path jar = pluginsDir.resolve(pluginId + "-1.0.0.jar");
        try (OutputStream os = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(os, mf)) {
            addTree(out, classes, "");
        }
        return jar;
    }

    /** A plugin as a zip in PF4J's layout: plugin.properties and classes/. */
    public static Path zip(Path pluginsDir, String pluginId, String className, String source) throws IOException {
        Path classes = Files.createTempDirectory("baton-plugin-classes");
        compile(className, source, classes);
        Files.createDirectories(pluginsDir);
        Path zip = pluginsDir.resolve(pluginId + "-1.0.0.zip");
        try (OutputStream os = Files.newOutputStream(zip); ZipOutputStream out = new ZipOutputStream(os)) {
            out.putNextEntry(new ZipEntry("plugin.properties"));
            out.write(("plugin.id=" + pluginId + "\nplugin.version=1.0.0\n").getBytes());
            out.closeEntry();
            addTree(out, classes, "classes/");
        }
        return zip;
    }

    private static void addTree(ZipOutputStream out, Path root, String prefix) throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.filter(Files::isRegularFile).sorted().toList()) {
                out.putNextEntry(new ZipEntry(prefix + root.relativize(p).toString().replace('\\', '/')));
                out.write(Files.readAllBytes(p));
                out.closeEntry();
            }
        }
    }
}
