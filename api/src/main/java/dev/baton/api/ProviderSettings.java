package dev.baton.api;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * One provider's own config subtree, as plain JDK values (String, Boolean, Number, List, Map), with
 * typed getters that fail with a {@link ProviderConfigException} naming the field. Keys a provider
 * never reads are reported by the engine as unknown, so a typo is never silently ignored.
 */
public final class ProviderSettings {

    private final Map<String, Object> values;
    private final String prefix;
    private final Function<String, String> env;
    private final Path baseDir;
    private final Set<String> read = new LinkedHashSet<>();
    private final List<ProviderSettings> children = new ArrayList<>();

    public ProviderSettings(Map<String, ?> values) {
        this(values, "", System::getenv, null);
    }

    /**
     * @param prefix the path of this section in the whole config, prepended to field names in errors
     * @param env looks up environment variables (a map in tests)
     * @param baseDir where relative file names resolve (the config file's folder), or null
     */
    public ProviderSettings(Map<String, ?> values, String prefix, Function<String, String> env, Path baseDir) {
        this.values = new LinkedHashMap<>(values);
        this.prefix = prefix;
        this.env = env;
        this.baseDir = baseDir;
    }

    public boolean has(String key) {
        read.add(key);
        return values.get(key) != null;
    }

    /** A required single value, not blank. */
    public String string(String key) throws ProviderConfigException {
        String s = optString(key, null);
        if (s == null || s.isBlank()) {
            throw missing(key, "");
        }
        return s;
    }

    /** A required whole number within {@code min..max}. */
    public long requiredInteger(String key, long min, long max) throws ProviderConfigException {
        if (!has(key)) {
            throw missing(key, "");
        }
        return integer(key, 0, min, max);
    }

    /**
     * The error for a required key that is absent. When a key a typo away is present and unread
     * ({@code vird} for {@code vrid}), that key is the likelier story and the error names it.
     *
     * @param why what the key is for, appended to "is required", or empty
     */
    public ProviderConfigException missing(String key, String why) {
        for (String present : values.keySet()) {
            if (!read.contains(present) && editDistance(present, key) <= 2) {
                read.add(present);
                return new ProviderConfigException(path(present), "unknown key (did you mean '" + key + "'?)");
            }
        }
        return new ProviderConfigException(path(key), "is required" + (why.isEmpty() ? "" : ": " + why));
    }

    public String optString(String key, String fallback) throws ProviderConfigException {
        Object v = get(key);
        if (v == null) {
            return fallback;
        }
        if (v instanceof Map || v instanceof List) {
            throw new ProviderConfigException(path(key), "must be a single value, got " + kind(v));
        }
        return String.valueOf(v);
    }

    public long integer(String key, long fallback, long min, long max) throws ProviderConfigException {
        Object v = get(key);
        if (v == null) {
            return fallback;
        }
        long n;
        if (v instanceof Number num && num.doubleValue() == num.longValue()) {
            n = num.longValue();
        } else {
            throw new ProviderConfigException(path(key), "must be a whole number, got " + kind(v));
        }
        if (n < min || n > max) {
            throw new ProviderConfigException(path(key), "must be between " + min + " and " + max + ", got " + n);
        }
        return n;
    }

    public boolean bool(String key, boolean fallback) throws ProviderConfigException {
        Object v = get(key);
        if (v == null) {
            return fallback;
        }
        if (v instanceof Boolean b) {
            return b;
        }
        throw new ProviderConfigException(path(key), "must be true or false, got " + kind(v));
    }

    public Duration duration(String key, Duration fallback, Duration min, Duration max) throws ProviderConfigException {
        Object v = get(key);
        if (v == null) {
            return fallback;
        }
        Duration d = v instanceof String s ? Durations.parseOrNull(s) : null;
        if (d == null) {
            throw new ProviderConfigException(path(key), "must be a duration such as 100ms or 5s, got " + kind(v));
        }
        if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
            throw new ProviderConfigException(path(key), "must be between " + Durations.format(min)
                    + " and " + Durations.format(max) + ", got " + Durations.format(d));
        }
        return d;
    }

    /** One of {@code allowed}, case-sensitive, as written in the docs. */
    public String choice(String key, String fallback, String... allowed) throws ProviderConfigException {
        String s = optString(key, fallback);
        for (String a : allowed) {
            if (a.equals(s)) {
                return s;
            }
        }
        throw new ProviderConfigException(path(key), "must be one of " + String.join(", ", allowed) + ", got '" + s + "'");
    }

    public List<String> stringList(String key) throws ProviderConfigException {
        Object v = get(key);
        if (v == null) {
            return List.of();
        }
        if (!(v instanceof List<?> list)) {
            throw new ProviderConfigException(path(key), "must be a list, got " + kind(v));
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            Object item = list.get(i);
            if (item == null || item instanceof Map || item instanceof List) {
                throw new ProviderConfigException(path(key) + "[" + i + "]", "must be a single value, got " + kind(item));
            }
            out.add(String.valueOf(item));
        }
        return out;
    }

    /** A nested map; its unknown keys are reported like this one's. Empty when absent. */
    public ProviderSettings section(String key) throws ProviderConfigException {
        Object v = get(key);
        Map<String, ?> map = Map.of();
        if (v instanceof Map<?, ?> m) {
            @SuppressWarnings("unchecked")
            Map<String, ?> typed = (Map<String, ?>) m;
            map = typed;
        } else if (v != null) {
            throw new ProviderConfigException(path(key), "must be a map, got " + kind(v));
        }
        ProviderSettings child = new ProviderSettings(map, path(key) + ".", env, baseDir);
        children.add(child);
        return child;
    }

    /** A list of maps, each read like {@link #section}. Empty when absent. */
    public List<ProviderSettings> sectionList(String key) throws ProviderConfigException {
        Object v = get(key);
        if (v == null) {
            return List.of();
        }
        if (!(v instanceof List<?> list)) {
            throw new ProviderConfigException(path(key), "must be a list, got " + kind(v));
        }
        List<ProviderSettings> out = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            if (!(list.get(i) instanceof Map<?, ?> m)) {
                throw new ProviderConfigException(path(key) + "[" + i + "]", "must be a map, got " + kind(list.get(i)));
            }
            @SuppressWarnings("unchecked")
            Map<String, ?> typed = (Map<String, ?>) m;
            ProviderSettings child = new ProviderSettings(typed, path(key) + "[" + i + "].", env, baseDir);
            children.add(child);
            out.add(child);
        }
        return out;
    }

    /** The path prefix of this section's keys ({@code "instances[0]."}), empty at the top. */
    public String prefix() {
        return prefix;
    }

    /** A copy of this section without {@code keys}, with its own prefix and read-tracking. */
    public ProviderSettings without(Set<String> keys, String newPrefix) {
        Map<String, Object> rest = new LinkedHashMap<>(values);
        rest.keySet().removeAll(keys);
        read.addAll(rest.keySet()); // handed over: whoever reads the copy reports its unknown keys
        return new ProviderSettings(rest, newPrefix, env, baseDir);
    }

    /**
     * A secret given as {@code <key>_file} (path of a file holding it; one trailing newline is
     * dropped) or {@code <key>_env} (name of an environment variable). Never as a literal: a
     * config file is shared, copied and pasted into tickets.
     */
    public Secret secret(String key, boolean required) throws ProviderConfigException {
        String file = optString(key + "_file", null);
        String var = optString(key + "_env", null);
        if (values.containsKey(key)) {
            read.add(key);
            throw new ProviderConfigException(path(key), "secrets are not written in the config: use "
                    + key + "_file or " + key + "_env");
        }
        if (file != null && var != null) {
            throw new ProviderConfigException(path(key + "_file"), "give " + key + "_file or " + key + "_env, not both");
        }
        if (file != null) {
            return readSecretFile(file(file), path(key + "_file"));
        }
        if (var != null) {
            String value = env.apply(var);
            if (value == null || value.isEmpty()) {
                throw new ProviderConfigException(path(key + "_env"), "environment variable " + var + " is not set");
            }
            return new Secret(value.getBytes(StandardCharsets.UTF_8), "env " + var);
        }
        if (required) {
            throw new ProviderConfigException(path(key + "_file"), "is required (or " + key + "_env)");
        }
        return null;
    }

    private static Secret readSecretFile(Path file, String field) throws ProviderConfigException {
        try {
            return Secret.readFile(file);
        } catch (IOException e) {
            // The message names the file and the failure, never the content.
            throw new ProviderConfigException(field, e.getMessage());
        }
    }

    /** A file name from the config, resolved against the config file's folder when relative. */
    public Path file(String name) {
        Path p = Path.of(name);
        return p.isAbsolute() || baseDir == null ? p : baseDir.resolve(p);
    }

    /**
     * Fails on the first key present but never read, here or in a section read from here: a typo
     * must not be silently ignored. Suggests the closest key that was read at that level.
     */
    public void rejectUnknownKeys() throws ProviderConfigException {
        for (String k : values.keySet()) {
            if (!read.contains(k)) {
                String near = closest(k, read);
                throw new ProviderConfigException(path(k), "unknown key" + (near == null ? "" : " (did you mean '" + near + "'?)"));
            }
        }
        for (ProviderSettings c : children) {
            c.rejectUnknownKeys();
        }
    }

    private static String closest(String key, Set<String> known) {
        String best = null;
        int bestDistance = 3; // at most two edits away, or it is no suggestion
        for (String k : known) {
            int d = editDistance(key, k);
            if (d < bestDistance) {
                best = k;
                bestDistance = d;
            }
        }
        return best;
    }

    private static int editDistance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }

    /** The raw values, for providers that hand a subtree to a library. Marks nothing as read. */
    public Map<String, Object> asMap() {
        return java.util.Collections.unmodifiableMap(values);
    }

    private Object get(String key) {
        read.add(key);
        return values.get(key);
    }

    private String path(String key) {
        return prefix + key;
    }

    private static String kind(Object v) {
        if (v == null) {
            return "nothing";
        }
        if (v instanceof Map) {
            return "a map";
        }
        if (v instanceof List) {
            return "a list";
        }
        return "'" + v + "'";
    }
}
