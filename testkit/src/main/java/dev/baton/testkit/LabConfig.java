package dev.baton.testkit;

import java.util.List;

/**
 * The Baton config of one lab node: instance "web", VRID 51, on eth0, peers and VIP of the lab's
 * family. Built fluently so each test says only what it changes.
 */
public final class LabConfig {

    private final NetnsLab.Host self;
    private final List<NetnsLab.Host> peers;
    private int version = 3;
    private int priority = 100;
    private String interval = "1s";
    private boolean ipv6;
    private Boolean preempt;
    private String passwordFile;
    private String providers = "";

    private LabConfig(NetnsLab.Host self, List<NetnsLab.Host> peers) {
        this.self = self;
        this.peers = List.copyOf(peers);
    }

    public static LabConfig of(NetnsLab.Host self, List<NetnsLab.Host> peers) {
        return new LabConfig(self, peers);
    }

    public LabConfig priority(int p) {
        priority = p;
        return this;
    }

    public LabConfig interval(String i) {
        interval = i;
        return this;
    }

    public LabConfig ipv6(boolean v6) {
        ipv6 = v6;
        return this;
    }

    public LabConfig preempt(boolean p) {
        preempt = p;
        return this;
    }

    /** VRRPv2 with PASS authentication from this file (null: VRRPv3, no authentication). */
    public LabConfig v2Password(String file) {
        passwordFile = file;
        version = file == null ? 3 : 2;
        return this;
    }

    /** The arp provider, second burst after 2 s (short tests). */
    public LabConfig arpProvider() {
        providers = "    providers:\n      - type: arp\n        garp: { repeat_after: 2s }\n";
        return this;
    }

    /** Any providers: a YAML block of list items indented for {@code providers:} (six spaces). */
    public LabConfig providers(String block) {
        providers = "    providers:\n" + block;
        return this;
    }

    public String yaml() {
        StringBuilder peerList = new StringBuilder();
        for (NetnsLab.Host p : peers) {
            peerList.append(peerList.isEmpty() ? "" : ", ").append(ipv6 ? p.ipv6() : p.ipv4());
        }
        return "node: { name: " + self.name() + " }\n"
                + "instances:\n"
                + "  - name: web\n"
                + "    vrid: 51\n"
                + "    version: " + version + "\n"
                + "    interface: eth0\n"
                + "    priority: " + priority + "\n"
                + "    advert_interval: " + interval + "\n"
                + "    source: " + (ipv6 ? self.ipv6() : self.ipv4()) + "\n"
                + "    peers: [" + peerList + "]\n"
                + (preempt == null ? "" : "    preempt: " + preempt + "\n")
                + "    vips: [" + (ipv6 ? "fd99::50/64" : "10.99.0.50/24") + "]\n"
                + (passwordFile == null ? "" : "    auth: { type: pass, password_file: " + passwordFile + " }\n")
                + providers;
    }
}
