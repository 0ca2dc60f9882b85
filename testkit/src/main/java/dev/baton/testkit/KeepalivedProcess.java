package dev.baton.testkit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;

/** Debian's keepalived (2.2.x) in a lab namespace, VRRP only, logging to a file. */
public final class KeepalivedProcess extends LoggedProcess {

    private static final Pattern STATE = Pattern.compile("\\(VI_1\\) Entering (\\w+) STATE");

    private KeepalivedProcess(Process p, Path log) {
        super(p, log);
    }

    public static void assumeInstalled() {
        Assumptions.assumeTrue(NetnsLab.onPath("keepalived"), "needs keepalived (Debian package keepalived)");
    }

    /**
     * A unicast instance VI_1 like the ones in the shared vectors.
     *
     * @param version 2 or 3
     * @param advertInt keepalived's advert_int ("1", "0.1")
     * @param password PASS password for v2, or null
     */
    public static String config(NetnsLab.Host self, List<NetnsLab.Host> peers, int version, int priority,
                                String advertInt, String password, String vip) {
        StringBuilder b = new StringBuilder();
        b.append("global_defs {\n    router_id lab-").append(self.name()).append('\n');
        if (version == 3) {
            b.append("    vrrp_version 3\n");
        }
        b.append("}\n\nvrrp_instance VI_1 {\n    state BACKUP\n    interface eth0\n    virtual_router_id 51\n")
                .append("    priority ").append(priority).append('\n')
                .append("    advert_int ").append(advertInt).append('\n')
                .append("    unicast_src_ip ").append(self.ipv4()).append('\n')
                .append("    unicast_peer {\n");
        for (NetnsLab.Host p : peers) {
            b.append("        ").append(p.ipv4()).append('\n');
        }
        b.append("    }\n");
        if (password != null) {
            b.append("    authentication {\n        auth_type PASS\n        auth_pass ").append(password).append("\n    }\n");
        }
        b.append("    virtual_ipaddress {\n        ").append(vip).append(" dev eth0\n    }\n}\n");
        return b.toString();
    }

    public static KeepalivedProcess start(NetnsLab lab, NetnsLab.Host host, String config) throws IOException {
        Path dir = lab.workDir();
        Path conf = dir.resolve(host.name() + "-keepalived.conf");
        Files.writeString(conf, config);
        Path log = dir.resolve(host.name() + "-keepalived.log");
        String n = host.name();
        return new KeepalivedProcess(lab.start(host, log, List.of("keepalived", "-n", "-l", "-D", "-G", "-P",
                "-f", conf.toString(), "-p", dir.resolve(n + ".pid").toString(),
                "-r", dir.resolve(n + "-vrrp.pid").toString(), "-c", dir.resolve(n + "-checkers.pid").toString(),
                "-b", dir.resolve(n + "-bfd.pid").toString())), log);
    }

    /** The state keepalived last entered, per its log; "INIT" before any. */
    public String state() {
        return last(STATE).map(m -> m.group(1)).orElse("INIT");
    }

    public Matcher awaitState(String state, int n, Duration timeout) throws InterruptedException {
        return await(Pattern.compile("\\(VI_1\\) Entering " + state + " STATE"), n, timeout);
    }

    public long entries(String state) {
        return count(Pattern.compile("\\(VI_1\\) Entering " + state + " STATE"));
    }
}
