package dev.baton.testkit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code baton run} as a separate JVM in a lab namespace: the agent the user runs, from the test
 * class path, on the JDK running the tests. Reads state from the one-line transitions it logs.
 */
public final class BatonProcess extends LoggedProcess {

    public static final Pattern TRANSITION = Pattern.compile("instance (\\S+): (\\w+) -> (\\w+) \\((.*)\\)$");

    private BatonProcess(Process p, Path log) {
        super(p, log);
    }

    /** Starts {@code baton run -c config} in {@code host}'s namespace. */
    public static BatonProcess start(NetnsLab lab, NetnsLab.Host host, String configYaml, Path pluginsDir) throws IOException {
        Path config = lab.workDir().resolve(host.name() + ".yaml");
        Files.writeString(config, configYaml);
        Path log = lab.workDir().resolve(host.name() + "-baton.log");
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> cmd = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED", "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"), "dev.baton.cli.Main",
                "run", "-c", config.toString(), "--plugins", pluginsDir.toString()));
        return new BatonProcess(lab.start(host, log, cmd), log);
    }

    /**
     * Starts {@code bin/baton run -c config} in {@code host}'s namespace: the launcher, the agent
     * the build made and the plugins it installed into {@code plugins/}, as an operator runs them.
     */
    public static BatonProcess startInstalled(NetnsLab lab, NetnsLab.Host host, String configYaml) throws IOException {
        return startInstalled(lab, host, configYaml, List.of());
    }

    /**
     * As {@link #startInstalled(NetnsLab, NetnsLab.Host, String)}, the launcher run through
     * {@code wrapper} (a command that execs its arguments, such as setpriv dropping privileges).
     */
    public static BatonProcess startInstalled(NetnsLab lab, NetnsLab.Host host, String configYaml, List<String> wrapper)
            throws IOException {
        Path config = lab.workDir().resolve(host.name() + ".yaml");
        Files.writeString(config, configYaml);
        Path log = lab.workDir().resolve(host.name() + "-baton.log");
        List<String> cmd = new ArrayList<>(wrapper);
        cmd.addAll(List.of(home().resolve("bin/baton").toString(), "run", "-c", config.toString()));
        return new BatonProcess(lab.start(host, log, cmd), log);
    }

    /** The checkout: system property baton.home (set by the build), else the first folder up with bin/baton. */
    public static Path home() {
        String p = System.getProperty("baton.home");
        if (p != null && Files.isExecutable(Path.of(p, "bin/baton"))) {
            return Path.of(p);
        }
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
            if (Files.isExecutable(d.resolve("bin/baton"))) {
                return d;
            }
        }
        throw new IllegalStateException("bin/baton not found above " + Path.of("").toAbsolutePath());
    }

    /** The state the instance last entered, per the log; "INIT" before any transition. */
    public String state(String instance) {
        String s = "INIT";
        for (String line : lines()) {
            Matcher m = TRANSITION.matcher(line);
            if (m.find() && m.group(1).equals(instance)) {
                s = m.group(3);
            }
        }
        return s;
    }

    /** Waits for the {@code n}th entry into {@code state}; returns that log line's matcher. */
    public Matcher awaitState(String instance, String state, int n, Duration timeout) throws InterruptedException {
        return await(Pattern.compile("instance " + Pattern.quote(instance) + ": \\w+ -> " + state + " \\((.*)\\)$"), n, timeout);
    }

    /** The time of the last entry into {@code state}. */
    public Optional<LocalTime> lastEntered(String instance, String state) {
        LocalTime t = null;
        for (String line : lines()) {
            Matcher m = TRANSITION.matcher(line);
            if (m.find() && m.group(1).equals(instance) && m.group(3).equals(state)) {
                t = timeOf(line);
            }
        }
        return Optional.ofNullable(t);
    }

    public long transitionsInto(String instance, String state) {
        return lines().stream().map(TRANSITION::matcher).filter(Matcher::find)
                .filter(m -> m.group(1).equals(instance) && m.group(3).equals(state)).count();
    }
}
