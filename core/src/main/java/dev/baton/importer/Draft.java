package dev.baton.importer;

import java.util.ArrayList;
import java.util.List;

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
        final List<String> notes = new ArrayList<>();
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
