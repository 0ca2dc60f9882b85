package dev.baton.importer;

import java.util.List;
import java.util.regex.Pattern;

/** Prints a {@link Draft} as Baton YAML, notes as comments next to what they are about. */
final class YamlWriter {

    /** Scalars that read back as the same string in YAML without quotes. */
    private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_./:-]*");

    private final StringBuilder b = new StringBuilder();

    static String write(Draft d, List<String> header) {
        YamlWriter w = new YamlWriter();
        header.forEach(h -> w.comment("", h));
        w.comments("", d.notes);
        if (d.nodeName != null) {
            w.line("", "node:");
            w.line("  ", "name: " + scalar(d.nodeName));
        }
        w.line("", "instances:");
        for (Draft.Instance i : d.instances) {
            w.instance(i);
        }
        return w.b.toString();
    }

    private void instance(Draft.Instance i) {
        String in = "    ";
        line("  ", "- name: " + scalar(i.name));
        line(in, "vrid: " + i.vrid);
        line(in, "version: " + i.version);
        line(in, "interface: " + scalar(i.iface));
        line(in, "priority: " + i.priority);
        line(in, "advert_interval: " + i.advertInterval);
        line(in, "source: " + scalar(i.source));
        line(in, "peers: " + list(i.peers));
        if (i.passwordFile != null) {
            line(in, "auth: { type: pass, password_file: " + scalar(i.passwordFile) + " }");
        }
        line(in, "preempt: " + i.preempt);
        if (i.preemptDelay != null) {
            line(in, "preempt_delay: " + i.preemptDelay);
        }
        line(in, "vips: " + list(i.vips));
        if (i.trackInterface != null) {
            line(in, "track_interface: " + i.trackInterface);
        }
        line(in, "providers:");
        line(in, "  - type: arp");
        line(in, "    interface: " + scalar(i.arp.iface));
        StringBuilder garp = new StringBuilder();
        if (i.arp.count != null) {
            garp.append("count: ").append(i.arp.count);
        }
        if (i.arp.interval != null) {
            garp.append(garp.isEmpty() ? "" : ", ").append("interval: ").append(i.arp.interval);
        }
        if (i.arp.repeatAfter != null) {
            garp.append(garp.isEmpty() ? "" : ", ").append("repeat_after: ").append(i.arp.repeatAfter);
        }
        if (i.arp.repeatCount != null) {
            garp.append(garp.isEmpty() ? "" : ", ").append("repeat_count: ").append(i.arp.repeatCount);
        }
        if (!garp.isEmpty()) {
            line(in, "    garp: { " + garp + " }");
        }
        if (!i.checks.isEmpty()) {
            line(in, "checks:");
            for (Draft.Check c : i.checks) {
                check(in, c);
            }
        }
        if (!i.notify.isEmpty()) {
            line(in, "notify:");
            i.notify.forEach((hook, argv) -> line(in, "  " + hook + ": " + argv(argv)));
        }
        comments(in, i.notes);
    }

    private void check(String in, Draft.Check c) {
        StringBuilder b = new StringBuilder("name: ").append(scalar(c.name)).append(", type: ").append(c.type);
        if (c.command != null) {
            b.append(", command: ").append(argv(c.command));
        }
        if (c.iface != null) {
            b.append(", interface: ").append(scalar(c.iface));
        }
        b.append(", interval: ").append(c.interval);
        if (c.timeout != null) {
            b.append(", timeout: ").append(c.timeout);
        }
        if (c.rise != null) {
            b.append(", rise: ").append(c.rise);
        }
        if (c.fall != null) {
            b.append(", fall: ").append(c.fall);
        }
        b.append(c.weight == null ? ", on_fail: fault" : ", weight: " + c.weight);
        line(in, "  - { " + b + " }");
    }

    /** An argv list; every element is a string, so anything YAML could read as a number or flag is quoted. */
    private static String argv(List<String> items) {
        return "[" + String.join(", ", items.stream()
                .map(a -> a.matches("[A-Za-z/][A-Za-z0-9_./:-]*") && !a.contains(": ") && !a.endsWith(":")
                        && !a.matches("(?i)true|false|yes|no|on|off|null|y|n") ? a : quoted(a)).toList()) + "]";
    }

    private void comments(String indent, List<String> notes) {
        notes.forEach(n -> comment(indent, n));
    }

    private void comment(String indent, String text) {
        // A note quotes the operator's config; a line break in it must not end the comment.
        line(indent, "# " + text.replaceAll("[\\r\\n]+", " "));
    }

    private void line(String indent, String text) {
        b.append(indent).append(text).append('\n');
    }

    private static String list(List<String> items) {
        return "[" + String.join(", ", items.stream().map(YamlWriter::scalar).toList()) + "]";
    }

    static String scalar(String s) {
        if (PLAIN.matcher(s).matches() && !s.contains(": ") && !s.endsWith(":")
                && !s.matches("(?i)true|false|yes|no|on|off|null|y|n|~")) {
            return s;
        }
        return quoted(s);
    }

    private static String quoted(String s) {
        return '"' + s.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }
}
