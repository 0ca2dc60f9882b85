package dev.baton.importer;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Baton config the importer is building: plain fields, filled by {@link Mapper} and printed by
 * {@link YamlWriter}. Notes are the comments: one per keepalived setting not carried over.
 */
final class Draft {

    String nodeName;
    final List<String> notes = new ArrayList<>();
    final List<Instance> instances = new ArrayList<>();

    static final class Instance {
        String name;
        int vrid;
        int version;
        String iface;
        int priority = 100;
        String advertInterval;
        String source;
        final List<String> peers = new ArrayList<>();
        /** The password file, when keepalived used PASS; the password itself never lands here. */
        String passwordFile;
        boolean preempt = true;
        String preemptDelay;
        final List<String> vips = new ArrayList<>();
        /** keepalived's track of its own interface; null: Baton's default (true). */
        Boolean trackInterface;
        final Arp arp = new Arp();
        final List<Check> checks = new ArrayList<>();
        /** Hook name (master, backup, fault, stop) to argv, in that order. */
        final Map<String, List<String>> notify = new LinkedHashMap<>();
        final List<String> notes = new ArrayList<>();
    }

    /** A {@code checks:} entry: a keepalived vrrp_script (type script) or track_interface (type interface). */
    static final class Check {
        String name;
        String type;
        /** type script. */
        List<String> command;
        /** type interface. */
        String iface;
        String interval;
        /** null: Baton's default. */
        String timeout;
        Integer rise;
        Integer fall;
        /** null: {@code on_fail: fault} (keepalived's weight 0). */
        Integer weight;
    }

    /** The arp provider: keepalived itself puts VIPs on the interface and sends gratuitous ARPs. */
    static final class Arp {
        String iface;
        Integer count;
        String interval;
        String repeatAfter;
        Integer repeatCount;
    }
}
