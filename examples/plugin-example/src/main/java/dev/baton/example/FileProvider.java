package dev.baton.example;

import dev.baton.api.Ownership;
import dev.baton.api.ProviderConfigException;
import dev.baton.api.ProviderContext;
import dev.baton.api.ProviderException;
import dev.baton.api.ProviderMetrics;
import dev.baton.api.ProviderSettings;
import dev.baton.api.Vip;
import dev.baton.api.VipProvider;
import dev.baton.api.VipSet;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import org.pf4j.Extension;

/**
 * {@code type: file}: "delivers" the VIPs by recording them in a state file, which a load
 * balancer, a monitoring check or a person can read. Harmless, and every part of the provider
 * contract shows: settings with a config error, idempotent calls, retryable and non-retryable
 * failures, ownership read back for the reconciler, metrics, dry run.
 *
 * <pre>
 * providers:
 *   - type: file
 *     path: /run/baton/web.vips    # required; relative to the config's folder
 * </pre>
 *
 * <p>The file holds {@code holder=<node name>} and then one VIP per line. It is replaced
 * atomically (written beside, then renamed), so a reader never sees half of it.
 */
@Extension
public final class FileProvider implements VipProvider {

    private static final String HOLDER = "holder=";

    private Path path;
    private ProviderContext context;
    private ProviderMetrics.Counter writes;
    private ProviderMetrics.Counter removes;
    /**
     * Dry run only: whether the engine believes we hold the VIPs. The reconciler confirms every
     * acquire with inspect, so a dry run must read back what it pretended to do, or the instance
     * would go to FAULT over a change it was told not to make.
     */
    private volatile boolean pretendHeld;

    @Override
    public String type() {
        return "file";
    }

    /** Reads settings only: {@code baton validate} calls this too, so no file is touched here. */
    @Override
    public void configure(ProviderSettings settings, ProviderContext context) throws ProviderConfigException {
        if (!settings.has("path")) {
            throw settings.missing("path", "the state file to record the VIPs in, e.g. /run/baton/web.vips");
        }
        String name = settings.string("path");
        if (name.endsWith("/")) {
            throw new ProviderConfigException("path", "names a folder; give a file, e.g. " + name + "vips");
        }
        this.path = settings.file(name);
        this.context = context;
        // Declared once here and kept: a takeover must not pay for registering a metric.
        this.writes = context.metrics().counter("writes", "state file written by acquire");
        this.removes = context.metrics().counter("removes", "state file removed by release");
    }

    /** Idempotent: writing the same content again is harmless, so the reconciler may re-assert. */
    @Override
    public void acquire(VipSet vips) throws ProviderException {
        String content = render(vips);
        if (context.dryRun()) {
            context.logger().log(Level.INFO, "dry run: would write " + vips + " to " + path);
            pretendHeld = true;
            return;
        }
        Path tmp = path.resolveSibling(path.getFileName() + ".tmp");
        try {
            Files.writeString(tmp, content, StandardCharsets.UTF_8);
            try {
                Files.move(tmp, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, path, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw failure("cannot write " + path, e);
        }
        writes.increment();
    }

    /**
     * Idempotent, and never takes the VIPs from another node: a file that names another holder is
     * left alone (that node wrote it after us).
     */
    @Override
    public void release(VipSet vips) throws ProviderException {
        pretendHeld = false;
        List<String> lines = read();
        if (lines == null) {
            return; // already released
        }
        if (!holder(lines).equals(context.nodeName())) {
            context.logger().log(Level.DEBUG, path + " names " + holder(lines) + ", not this node: left alone");
            return;
        }
        if (context.dryRun()) {
            context.logger().log(Level.INFO, "dry run: would remove " + path);
            return;
        }
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            throw failure("cannot remove " + path, e);
        }
        removes.increment();
    }

    /**
     * The reconciler calls this periodically and after failures, and re-asserts when the answer is
     * not what the election wants: HERE when the file names this node and every VIP, ELSEWHERE
     * when it names another node, NONE when there is no file or only part of the set.
     */
    @Override
    public Ownership inspect(VipSet vips) throws ProviderException {
        if (context.dryRun() && pretendHeld) {
            return Ownership.here();
        }
        List<String> lines = read();
        if (lines == null) {
            return Ownership.none("no state file " + path);
        }
        String holder = holder(lines);
        if (holder.isEmpty()) {
            return Ownership.unknown(path + " has no holder= line");
        }
        if (!holder.equals(context.nodeName())) {
            return Ownership.elsewhere(holder);
        }
        List<String> missing = new ArrayList<>();
        for (Vip v : vips) {
            if (!lines.contains(v.toString())) {
                missing.add(v.toString());
            }
        }
        return missing.isEmpty() ? Ownership.here() : Ownership.none("not in " + path + ": " + String.join(", ", missing));
    }

    /** Nothing to stop: no threads, no clients. A provider with either ends them here. */
    @Override
    public void close() {}

    private String render(VipSet vips) {
        StringBuilder b = new StringBuilder(HOLDER).append(context.nodeName()).append('\n');
        vips.forEach(v -> b.append(v).append('\n'));
        return b.toString();
    }

    /** The file's lines, or null when there is none. */
    private List<String> read() throws ProviderException {
        try {
            return Files.readAllLines(path, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            throw failure("cannot read " + path, e);
        }
    }

    private static String holder(List<String> lines) {
        return lines.isEmpty() || !lines.getFirst().startsWith(HOLDER) ? "" : lines.getFirst().substring(HOLDER.length());
    }

    /**
     * A permission problem does not go away by retrying: report it at once (non-retryable). Any
     * other I/O error (a full disk, a busy file system) may, so the reconciler retries it.
     */
    private static ProviderException failure(String what, IOException e) {
        boolean retryable = !(e instanceof AccessDeniedException);
        return new ProviderException(what + " (" + e.getClass().getSimpleName() + ")", retryable, e);
    }
}
