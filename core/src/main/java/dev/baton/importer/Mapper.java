package dev.baton.importer;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Maps keepalived.conf statements to a {@link Draft}, with keepalived.conf(5)'s meanings and
 * defaults: a setting with a Baton equivalent becomes a key, every other one a note saying why
 * it was not carried over. Nothing is dropped silently.
 */
final class Mapper {

    /** RFC 5737 TEST-NET-1: never a host's address, so a placeholder cannot bind by accident. */
    static final String PLACEHOLDER_SOURCE = "192.0.2.1";
    static final String PLACEHOLDER_PEER = "192.0.2.2";

    /** keepalived's vrrp_script, kept to describe the track_script that uses it. */
    private record Script(Statement at, Map<String, String> settings, Map<String, Statement> statements) {}

    private final String source;
    private final List<String> peers;
    private final Draft draft = new Draft();
    /** Password file name to password, for the caller to write or to tell about. */
    final Map<String, byte[]> secrets = new LinkedHashMap<>();
    /** Warnings for the operator on stderr: placeholders they must replace. */
    final List<String> warnings = new ArrayList<>();

    private final Map<String, Script> scripts = new LinkedHashMap<>();
    private final Set<String> trackedScripts = new HashSet<>();
    private int defaultVersion = 2; // keepalived's vrrp_version default
    private Integer garpDelay;
    private Integer garpRepeat;
    private String garpInterval;

    Mapper(String source, List<String> peers) {
        this.source = source;
        this.peers = peers;
    }

    Draft map(List<Statement> top, List<String> parseNotes) throws ImportException {
        draft.notes.addAll(parseNotes);
        // Globals and scripts first: keepalived reads the whole file before it starts instances.
        for (Statement s : top) {
            switch (s.keyword()) {
                case "global_defs" -> globals(s);
                case "vrrp_script" -> script(s);
                default -> { }
            }
        }
        for (Statement s : top) {
            switch (s.keyword()) {
                case "global_defs", "vrrp_script" -> { }
                case "vrrp_instance" -> draft.instances.add(instance(s));
                case "vrrp_sync_group" -> draft.notes.add(note(s,
                        "sync groups are not in Baton: each instance fails over on its own"));
                case "virtual_server", "virtual_server_group", "real_server" -> draft.notes.add(note(s,
                        "LVS load balancing is out of Baton's scope"));
                case "static_ipaddress", "static_routes", "static_rules" -> draft.notes.add(note(s,
                        "static addresses and routes are the host's business, not Baton's"));
                default -> draft.notes.add(note(s, "not carried over"));
            }
        }
        for (Map.Entry<String, Script> e : scripts.entrySet()) {
            if (!trackedScripts.contains(e.getKey())) {
                draft.notes.add(scriptNote(e.getKey(), e.getValue(), null) + " (no instance tracks it)");
            }
        }
        if (draft.instances.isEmpty()) {
            throw new ImportException(top.isEmpty() ? "keepalived.conf" : top.get(0).file(), 0,
                    "no vrrp_instance to import");
        }
        return draft;
    }

    private void globals(Statement g) throws ImportException {
        for (Statement s : block(g)) {
            switch (s.keyword()) {
                case "router_id" -> {
                    String id = one(s);
                    if (id.matches("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}")) {
                        draft.nodeName = id;
                    } else {
                        draft.notes.add(note(s, "not a Baton node name; node.name defaults to the host name"));
                    }
                }
                case "vrrp_version" -> defaultVersion = version(s);
                // Instance defaults in keepalived; Baton's arp provider has them per instance.
                case "vrrp_garp_master_delay" -> garpDelay = integer(s, 0, 600);
                case "vrrp_garp_master_repeat" -> garpRepeat = integer(s, 1, 100);
                case "vrrp_garp_interval" -> garpInterval = garpInterval(s);
                case "vrrp_gna_interval" -> draft.notes.add(note(s,
                        "Baton's arp provider spaces IPv4 and IPv6 announcements alike (garp.interval)"));
                case "notification_email", "notification_email_from", "smtp_server", "smtp_connect_timeout" ->
                        draft.notes.add(note(s, "email alerts are not in Baton; use a notify hook or alert on /metrics"));
                case "enable_script_security", "script_user" -> draft.notes.add(note(s,
                        "Baton runs checks and hooks as its own user"));
                case "vrrp_skip_check_adv_addr" -> draft.notes.add(note(s,
                        "Baton always checks the advert's addresses (RFC 5798 7.1) unless the sender is the owner"));
                case "vrrp_strict" -> draft.notes.add(note(s,
                        "Baton is strict by default where it matters: TTL 255, known peers, no v3 auth"));
                default -> draft.notes.add(note(s, "not carried over"));
            }
        }
    }

    private void script(Statement s) throws ImportException {
        String name = s.arg();
        if (name == null) {
            throw new ImportException(s, "vrrp_script needs a name");
        }
        Map<String, String> settings = new LinkedHashMap<>();
        Map<String, Statement> statements = new LinkedHashMap<>();
        for (Statement e : block(s)) {
            settings.put(e.keyword(), String.join(" ", e.args()));
            statements.put(e.keyword(), e);
        }
        scripts.put(name, new Script(s, settings, statements));
    }

    private Draft.Instance instance(Statement vi) throws ImportException {
        Draft.Instance i = new Draft.Instance();
        String name = vi.arg();
        if (name == null) {
            throw new ImportException(vi, "vrrp_instance needs a name");
        }
        i.name = name.matches("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}") ? name : sanitize(name);
        if (!i.name.equals(name)) {
            i.notes.add("keepalived vrrp_instance " + name + " (" + vi.where() + "): renamed to " + i.name
                    + " (Baton names are letters, digits, '_', '-', '.')");
        }
        Integer vrid = null;
        Integer version = null;
        BigDecimal advert = BigDecimal.ONE; // keepalived's advert_int default, seconds
        Statement advertAt = null;
        Integer delay = garpDelay;
        Integer repeat = garpRepeat;
        String garpGap = garpInterval;
        List<Statement> tracked = new ArrayList<>();
        List<Statement> vipStatements = new ArrayList<>();
        for (Statement s : block(vi)) {
            switch (s.keyword()) {
                case "interface" -> i.iface = one(s);
                case "virtual_router_id" -> vrid = integer(s, 1, 255);
                case "priority" -> i.priority = integer(s, 1, 255);
                case "advert_int" -> {
                    advert = decimal(s);
                    advertAt = s;
                }
                case "version" -> version = version(s);
                case "unicast_src_ip" -> i.source = address(s, one(s));
                case "unicast_peer" -> {
                    for (Statement p : block(s)) {
                        // An entry may carry min_ttl/max_ttl after the address; Baton wants TTL 255.
                        i.peers.add(address(p, p.keyword()));
                        if (!p.args().isEmpty()) {
                            i.notes.add(note("unicast_peer", p, "peer options are not in Baton (it requires TTL 255)"));
                        }
                    }
                }
                case "authentication" -> auth(s, i);
                case "nopreempt" -> i.preempt = false;
                case "preempt" -> i.preempt = true;
                case "preempt_delay" -> i.preemptDelay = integer(s, 0, 1000) + "s";
                case "virtual_ipaddress" -> vipStatements.addAll(block(s));
                case "virtual_ipaddress_excluded" -> {
                    for (Statement v : block(s)) {
                        i.notes.add(note("virtual_ipaddress_excluded", v, "excluded addresses are not sent in adverts, and Baton has no such "
                                + "list; once no keepalived node is left, add it to vips or to a second instance"));
                    }
                }
                case "track_script" -> {
                    for (Statement t : block(s)) {
                        trackScript(t, i);
                    }
                }
                case "track_interface" -> tracked.addAll(block(s));
                case "garp_interval" -> garpGap = garpInterval(s);
                case "dont_track_primary" -> i.trackInterface = false;
                case "garp_master_delay" -> delay = integer(s, 0, 600);
                case "garp_master_repeat" -> repeat = integer(s, 1, 100);
                case "notify_master", "notify_backup", "notify_fault", "notify_stop" -> hook(s, i);
                case "notify" -> i.notes.add(note(s, "not converted: keepalived appends TYPE NAME STATE PRIORITY, "
                        + "Baton appends <instance> <STATE> and has no priority to pass; set notify: master/backup/"
                        + "fault/stop to a wrapper that calls this script with the arguments it expects"));
                case "state" -> i.notes.add(note(s, "Baton has no initial state: it starts as backup and "
                        + "the priority decides (255 starts as master)"));
                case "smtp_alert" -> i.notes.add(note(s, "email alerts are not in Baton"));
                case "check_unicast_src" -> i.notes.add(note(s,
                        "Baton's default already: adverts from addresses not in peers are dropped"));
                case "mcast_src_ip" -> {
                    if (i.source == null) {
                        i.source = address(s, one(s));
                    }
                    i.notes.add(note(s, "Baton is unicast only; used as the source address"));
                }
                default -> i.notes.add(note(s, "not carried over"));
            }
        }
        if (i.iface == null) {
            throw new ImportException(vi, "vrrp_instance " + name + " has no interface");
        }
        if (vrid == null) {
            throw new ImportException(vi, "vrrp_instance " + name + " has no virtual_router_id");
        }
        i.vrid = vrid;
        i.version = version != null ? version : defaultVersion;
        vips(vipStatements, i);
        if (i.vips.isEmpty()) {
            throw new ImportException(vi, "vrrp_instance " + name + " has no virtual_ipaddress to carry over");
        }
        fillAddresses(vi, i);
        if (i.version == 2 && !(InetAddress.ofLiteral(i.source) instanceof Inet4Address)) {
            // keepalived runs IPv6 instances as VRRPv3 whatever vrrp_version says.
            i.version = 3;
        }
        if (i.version == 3 && i.passwordFile != null) {
            secrets.remove(i.passwordFile);
            i.passwordFile = null;
            i.notes.add("keepalived authentication (" + vi.where() + "): VRRPv3 has no authentication "
                    + "(RFC 5798 section 9) and keepalived ignores it there; not carried over");
        }
        i.advertInterval = interval(advert, i.version, advertAt, i);
        i.arp.iface = i.arp.iface == null ? i.iface : i.arp.iface;
        i.arp.interval = garpGap;
        for (Statement t : tracked) {
            trackInterface(t, i);
        }
        if (repeat != null) {
            // keepalived sends garp_master_repeat ARPs at the transition and as many again later.
            i.arp.count = repeat;
            i.arp.repeatCount = repeat;
        }
        if (delay != null) {
            i.arp.repeatAfter = delay + "s";
            if (delay == 0) {
                i.arp.repeatCount = 0; // keepalived: 0 means no second burst
            }
        }
        return i;
    }

    /** keepalived: {@code auth_type PASS|AH}, {@code auth_pass} (at most 8 characters used). */
    private void auth(Statement s, Draft.Instance i) throws ImportException {
        String type = null;
        String pass = null;
        for (Statement a : block(s)) {
            switch (a.keyword()) {
                case "auth_type" -> type = one(a);
                case "auth_pass" -> pass = one(a);
                default -> i.notes.add(note("authentication", a, "not carried over"));
            }
        }
        if (type == null || !type.equalsIgnoreCase("PASS")) {
            i.notes.add("keepalived authentication (" + s.where() + ", auth_type " + type + "): only PASS is in "
                    + "Baton (AH is deprecated by RFC 5798); this instance runs without authentication, "
                    + "so keepalived peers with AH will not accept it");
            return;
        }
        if (pass == null) {
            throw new ImportException(s, "auth_type PASS without auth_pass");
        }
        byte[] bytes = pass.getBytes(StandardCharsets.UTF_8);
        if (bytes.length > 8) {
            // keepalived uses the first 8 octets and so does the wire (RFC 3768 5.3.10).
            bytes = Arrays.copyOf(bytes, 8);
            i.notes.add("keepalived auth_pass (" + s.where() + ") is longer than 8 characters: keepalived sends "
                    + "only the first 8, and that is what goes in the password file");
        }
        i.passwordFile = i.name + ".pass";
        secrets.put(i.passwordFile, bytes);
    }

    /**
     * keepalived: {@code track_script { NAME [weight N [reverse]] }}, the weight overriding the
     * vrrp_script's. Becomes a {@code type: script} check; keepalived's weight reads as Baton's
     * (positive: added while the script succeeds, negative: subtracted while it fails), and
     * weight 0, keepalived's default, puts the instance in FAULT: {@code on_fail: fault}.
     */
    private void trackScript(Statement t, Draft.Instance i) throws ImportException {
        String name = t.keyword();
        Script script = scripts.get(name);
        trackedScripts.add(name);
        if (script == null) {
            i.notes.add(note("track_script", t, "track_script names no vrrp_script; nothing to convert"));
            return;
        }
        Statement weightAt = t.args().isEmpty() ? script.statements().get("weight") : t;
        List<String> weightWords = weightAt == null ? List.of()
                : weightAt == t ? weightAfterKeyword(t) : weightAt.args();
        if (weightWords.contains("reverse")) {
            i.notes.add(scriptNote(name, script, weightAt == t ? String.join(" ", weightWords) : null)
                    + ": FIXME not converted: 'reverse' turns the weight around (a positive weight subtracted while "
                    + "the script succeeds, a negative one added while it fails) and Baton has no such weight; "
                    + "invert the script's exit code and add it under checks: with the opposite weight");
            return;
        }
        Statement body = script.statements().get("script");
        if (body == null) {
            i.notes.add(scriptNote(name, script, null) + ": has no script line; nothing to convert");
            return;
        }
        Draft.Check c = new Draft.Check();
        c.name = checkName(name, i);
        c.type = "script";
        c.command = command(body, "vrrp_script " + name, i);
        Integer weight = weightWords.isEmpty() ? 0 : weight(weightAt, weightWords.get(0));
        c.weight = weight == 0 ? null : weight;
        long intervalMs = 1000; // keepalived's default vrrp_script interval
        Statement at = script.statements().get("interval");
        if (at != null) {
            intervalMs = millis(at, 100, 3_600_000, "Baton's check interval", i);
        }
        c.interval = duration(intervalMs);
        at = script.statements().get("timeout");
        if (at != null) {
            long timeout = millis(at, 10, 3_600_000, "Baton's check timeout", i);
            if (timeout >= intervalMs) {
                // One run at a time per check in Baton: the timeout must end before the next run is due.
                timeout = Math.max(10, intervalMs - 100);
                i.notes.add(note("vrrp_script " + name, at, "Baton's timeout must be shorter than the interval ("
                        + c.interval + "); set to " + duration(timeout)));
            }
            c.timeout = duration(timeout);
        } else {
            i.notes.add("keepalived vrrp_script " + name + " (" + script.at().where() + ") has no timeout: "
                    + "Baton's default applies (half the interval, at most 1s); set timeout if the script needs longer");
        }
        at = script.statements().get("rise");
        c.rise = at == null ? 1 : integer(at, 1, 100);
        at = script.statements().get("fall");
        c.fall = at == null ? 1 : integer(at, 1, 100);
        for (Statement e : script.statements().values()) {
            switch (e.keyword()) {
                case "script", "interval", "timeout", "weight", "rise", "fall" -> { }
                case "user" -> i.notes.add(note("vrrp_script " + name, e, "Baton runs checks as its own user"));
                case "init_fail" -> i.notes.add(note("vrrp_script " + name, e, "not needed: Baton runs every check "
                        + "once before joining the election and the first result decides"));
                default -> i.notes.add(note("vrrp_script " + name, e, "not carried over"));
            }
        }
        i.checks.add(c);
    }

    /** {@code track_script} / {@code track_interface} entry: {@code NAME weight N [reverse]}. */
    private static List<String> weightAfterKeyword(Statement t) throws ImportException {
        List<String> a = t.args();
        if (a.size() < 2 || !a.get(0).equals("weight")) {
            throw new ImportException(t, t.keyword() + ": expected 'weight N', got '" + String.join(" ", a) + "'");
        }
        return a.subList(1, a.size());
    }

    private static int weight(Statement at, String text) throws ImportException {
        try {
            int w = Integer.parseInt(text);
            if (w >= -253 && w <= 253) {
                return w;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new ImportException(at, "weight must be a whole number between -253 and 253, got '" + text + "'");
    }

    /**
     * keepalived: {@code track_interface { IFACE [weight N [reverse]] }}; a tracked interface down
     * is FAULT, or with a weight the same reading as a script's. Baton watches the instance's own
     * interface already ({@code track_interface: true}); any other becomes an {@code interface} check.
     */
    private void trackInterface(Statement t, Draft.Instance i) throws ImportException {
        String iface = t.keyword();
        if (iface.equals(i.iface) && t.args().isEmpty() && !Boolean.FALSE.equals(i.trackInterface)) {
            return;
        }
        List<String> weightWords = t.args().isEmpty() ? List.of() : weightAfterKeyword(t);
        if (weightWords.contains("reverse")) {
            i.notes.add(note("track_interface", t, "FIXME not converted: 'reverse' turns the weight around and Baton "
                    + "has no such weight; add an interface check with the weight you mean"));
            return;
        }
        int weight = weightWords.isEmpty() ? 0 : weight(t, weightWords.get(0));
        Draft.Check c = new Draft.Check();
        c.name = checkName("link-" + iface, i);
        c.type = "interface";
        c.iface = iface;
        c.interval = "1s";
        c.weight = weight == 0 ? null : weight;
        i.checks.add(c);
        i.notes.add(note("track_interface", t, "keepalived hears of link changes from netlink at once; the "
                + "interface check " + c.name + " polls every " + c.interval));
    }

    /** keepalived: notify_master|backup|fault|stop "/path args" (run as given, nothing appended). */
    private void hook(Statement s, Draft.Instance i) throws ImportException {
        String hook = s.keyword().substring("notify_".length());
        if (i.notify.containsKey(hook)) {
            i.notes.add(note(s, "a second " + s.keyword() + "; Baton runs one command per state"));
            return;
        }
        if (s.args().isEmpty()) {
            throw new ImportException(s, s.keyword() + " needs a script");
        }
        // keepalived.conf(5): notify_* <STRING>|<QUOTED-STRING> [username [groupname]]: the first
        // word is the script (quoted when it has arguments), the words after it name a user.
        i.notify.put(hook, command(s, ScriptLine.argv(s, s.arg()), s.keyword(), i));
        if (s.args().size() > 1) {
            i.notes.add(note(s, "keepalived runs it as " + String.join(" ", s.args().subList(1, s.args().size()))
                    + " (user [group]); Baton runs hooks as its own user"));
        }
        i.notes.add(note(s, "mapped to notify: " + hook + "; note Baton appends two arguments, <instance> <STATE>, "
                + "which keepalived did not"));
    }

    /**
     * The argv of a keepalived script line. keepalived looks a relative program up in PATH; Baton
     * wants an absolute path (no PATH lookup under systemd), so a relative one goes through
     * /usr/bin/env, which does the same lookup, with a note to replace it.
     */
    private static List<String> command(Statement s, String what, Draft.Instance i) throws ImportException {
        return command(s, ScriptLine.argv(s), what, i);
    }

    private static List<String> command(Statement s, List<String> argv, String what, Draft.Instance i) {
        if (argv.getFirst().startsWith("/")) {
            return argv;
        }
        List<String> out = new ArrayList<>();
        out.add("/usr/bin/env");
        out.addAll(argv);
        i.notes.add("FIXME keepalived " + what + " (" + s.where() + "): '" + argv.getFirst() + "' is not an absolute "
                + "path; it runs through /usr/bin/env (a PATH lookup): write the program's absolute path instead");
        return out;
    }

    /** Check names are unique per instance and follow Baton's name rule. */
    private static String checkName(String wanted, Draft.Instance i) {
        String base = wanted.matches("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}") ? wanted : sanitize(wanted);
        Set<String> taken = new HashSet<>();
        i.checks.forEach(c -> taken.add(c.name));
        String name = base;
        for (int n = 2; taken.contains(name); n++) {
            name = base + "-" + n;
        }
        return name;
    }

    /** keepalived: seconds, fractions allowed; to milliseconds within Baton's range, noted when clamped. */
    private static long millis(Statement at, long min, long max, String what, Draft.Instance i) throws ImportException {
        BigDecimal seconds = decimal(at);
        long ms = seconds.movePointRight(3).setScale(0, RoundingMode.HALF_UP).longValue();
        long clamped = Math.clamp(ms, min, max);
        if (clamped != ms) {
            i.notes.add(note(at, what + " is " + duration(min) + ".." + duration(max) + "; set to " + duration(clamped)));
        }
        return clamped;
    }

    private static String duration(long ms) {
        return ms % 1000 == 0 ? (ms / 1000) + "s" : ms + "ms";
    }

    /** {@code # keepalived vrrp_script chk (script "...", interval 2, weight -20, fall 2, rise 2)}. */
    private static String scriptNote(String name, Script s, String weightOverride) {
        Map<String, String> m = new LinkedHashMap<>(s.settings());
        if (weightOverride != null) {
            m.put("weight", weightOverride + " (from track_script)");
        }
        List<String> parts = new ArrayList<>();
        m.forEach((k, v) -> parts.add(k.equals("script") ? k + " \"" + v + "\"" : (k + " " + v).strip()));
        String weight = m.getOrDefault("weight", "0");
        String meaning = weight.startsWith("0") ? "failure means FAULT" : "failure adjusts the priority by the weight";
        return "keepalived vrrp_script " + name + " (" + s.at().where() + "; " + String.join(", ", parts) + "; "
                + meaning + ")";
    }

    /** keepalived: {@code ADDR[/PREFIX] [dev IFACE] [label LABEL] [brd ..] [scope ..] ...}, /32 by default. */
    private void vips(List<Statement> entries, Draft.Instance i) throws ImportException {
        Set<String> devs = new LinkedHashSet<>();
        for (Statement v : entries) {
            String text = v.keyword();
            int slash = text.indexOf('/');
            String addr = address(v, slash < 0 ? text : text.substring(0, slash));
            i.vips.add(slash < 0 ? addr : addr + text.substring(slash));
            List<String> rest = v.args();
            List<String> dropped = new ArrayList<>();
            for (int k = 0; k < rest.size(); k++) {
                String opt = rest.get(k);
                String value = k + 1 < rest.size() ? rest.get(k + 1) : null;
                if (opt.equals("dev") && value != null) {
                    devs.add(value);
                    k++;
                } else if (value != null && Set.of("label", "brd", "broadcast", "scope", "metric", "preferred_lft")
                        .contains(opt)) {
                    dropped.add(opt + " " + value);
                    k++;
                } else {
                    dropped.add(opt);
                }
            }
            if (!dropped.isEmpty()) {
                i.notes.add(note("virtual_ipaddress", v, "address options " + String.join(", ", dropped) + " are not in Baton's arp provider"));
            }
        }
        if (devs.size() == 1) {
            i.arp.iface = devs.iterator().next();
        } else if (devs.size() > 1) {
            i.notes.add("keepalived virtual_ipaddress: addresses on several interfaces (" + String.join(", ", devs)
                    + "); Baton's arp provider uses one, " + i.iface + ": split them into one provider or instance per interface");
        }
    }

    /** Source and peers keepalived found itself (multicast, interface address) come from the options. */
    private void fillAddresses(Statement vi, Draft.Instance i) {
        if (i.source == null) {
            if (source != null) {
                i.source = source;
            } else {
                i.source = PLACEHOLDER_SOURCE;
                i.notes.add(0, "FIXME: keepalived took the source from interface " + i.iface + "; " + PLACEHOLDER_SOURCE
                        + " is a placeholder (TEST-NET-1, it cannot bind): set this node's address or import with --source");
                warnings.add(vi.where() + ": vrrp_instance " + i.name + ": no unicast_src_ip; source is the placeholder "
                        + PLACEHOLDER_SOURCE + " (use --source)");
            }
        }
        if (i.peers.isEmpty()) {
            if (!peers.isEmpty()) {
                i.peers.addAll(peers);
                i.notes.add(0, "keepalived used multicast here (" + vi.where() + "); peers come from --peer");
            } else {
                i.peers.add(PLACEHOLDER_PEER);
                i.notes.add(0, "FIXME: keepalived used multicast here (" + vi.where() + ") and Baton is unicast only; "
                        + PLACEHOLDER_PEER + " is a placeholder: list the other nodes' addresses or import with --peer");
                warnings.add(vi.where() + ": vrrp_instance " + i.name + ": multicast, no unicast_peer; peers is the "
                        + "placeholder " + PLACEHOLDER_PEER + " (use --peer)");
            }
        }
    }

    /** keepalived: advert_int in seconds, fractions allowed for VRRPv3 (centiseconds on the wire). */
    private static String interval(BigDecimal seconds, int version, Statement at, Draft.Instance i) {
        if (version == 2) {
            BigDecimal whole = seconds.setScale(0, RoundingMode.HALF_UP).max(BigDecimal.ONE).min(BigDecimal.valueOf(255));
            if (whole.compareTo(seconds) != 0 && at != null) {
                i.notes.add(note(at, "VRRPv2 counts whole seconds; rounded to " + whole + "s"));
            }
            return whole.toPlainString() + "s";
        }
        BigDecimal cs = seconds.movePointRight(2).setScale(0, RoundingMode.HALF_UP)
                .max(BigDecimal.ONE).min(BigDecimal.valueOf(4095));
        if (cs.movePointLeft(2).compareTo(seconds) != 0 && at != null) {
            i.notes.add(note(at, "VRRPv3 counts centiseconds (10ms..40.95s); rounded to " + cs.multiply(BigDecimal.TEN) + "ms"));
        }
        int ms = cs.intValueExact() * 10;
        return ms % 1000 == 0 ? (ms / 1000) + "s" : ms + "ms";
    }

    private static String note(Statement s, String why) {
        return "keepalived " + s.text() + " (" + s.where() + "): " + why;
    }

    /** For an entry of a block: {@code keepalived track_interface eth1 weight 10 (...)}. */
    private static String note(String parent, Statement s, String why) {
        return "keepalived " + parent + " " + s.text() + " (" + s.where() + "): " + why;
    }

    /** keepalived: seconds, fractions allowed ({@code 0.001}); Baton's garp.interval is at most 1s. */
    private static String garpInterval(Statement s) throws ImportException {
        String v = one(s);
        BigDecimal d;
        try {
            d = new BigDecimal(v);
        } catch (NumberFormatException e) {
            throw new ImportException(s, s.keyword() + ": '" + v + "' is not a number of seconds");
        }
        if (d.signum() < 0 || d.compareTo(BigDecimal.ONE) > 0) {
            throw new ImportException(s, s.keyword() + " must be between 0 and 1 second for Baton, got " + v);
        }
        return d.movePointRight(3).setScale(0, RoundingMode.HALF_UP).toPlainString() + "ms";
    }

    private static List<Statement> block(Statement s) throws ImportException {
        if (!s.hasBlock()) {
            throw new ImportException(s, s.keyword() + " needs a { ... } block");
        }
        return s.block();
    }

    private static String one(Statement s) throws ImportException {
        if (s.args().size() != 1) {
            throw new ImportException(s, s.keyword() + " takes one value, got " + s.args().size());
        }
        return s.arg();
    }

    private static int integer(Statement s, int min, int max) throws ImportException {
        String v = one(s);
        int n;
        try {
            n = Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new ImportException(s, s.keyword() + ": '" + v + "' is not a whole number");
        }
        if (n < min || n > max) {
            throw new ImportException(s, s.keyword() + " must be between " + min + " and " + max + ", got " + n);
        }
        return n;
    }

    private static BigDecimal decimal(Statement s) throws ImportException {
        String v = one(s);
        try {
            BigDecimal d = new BigDecimal(v);
            if (d.signum() > 0) {
                return d;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new ImportException(s, s.keyword() + ": '" + v + "' is not a positive number of seconds");
    }

    private static int version(Statement s) throws ImportException {
        return integer(s, 2, 3);
    }

    private static String address(Statement s, String text) throws ImportException {
        try {
            InetAddress.ofLiteral(text);
            return text;
        } catch (IllegalArgumentException e) {
            throw new ImportException(s, "'" + text + "' is not an IP address");
        }
    }

    /** An address given on the command line; the error names the option. */
    static void checkAddress(String option, String text) throws ImportException {
        try {
            InetAddress.ofLiteral(text);
        } catch (IllegalArgumentException e) {
            throw new ImportException(option, 0, "'" + text + "' is not an IP address");
        }
    }

    private static String sanitize(String name) {
        String c = name.replaceAll("[^A-Za-z0-9_.-]", "_").replaceAll("^[_.-]+", "");
        return c.isEmpty() ? "instance" : c.substring(0, Math.min(64, c.length()));
    }
}
