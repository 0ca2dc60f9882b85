package dev.baton.check;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;

/**
 * One interface's {@code operstate} and {@code carrier} in sysfs, kept open and read again from
 * offset 0 at each poll: sysfs writes an attribute afresh for every read from its start, so a
 * poll is two preads, not a stat and two opens, reads and closes (the link watch at 10 polls a
 * second was the agent's largest CPU use at rest after the ARP watcher). The files stay open
 * only while the link is usable: any problem (the interface gone: ENODEV; administratively down:
 * carrier says EINVAL; no carrier) closes them, and the next poll opens them again, so an
 * interface re-created under the same name is read afresh.
 */
final class LinkFiles implements AutoCloseable {

    private final Path sysClassNet;
    private final String iface;
    private final ByteBuffer buffer = ByteBuffer.allocate(32);
    private FileChannel operstate;
    private FileChannel carrier;
    private long readInPoll = -1;
    private String lastProblem;

    LinkFiles(Path sysClassNet, String iface) {
        this.sysClassNet = sysClassNet;
        this.iface = iface;
    }

    /** As {@link #problem()}, read once per {@code poll}: the answer again for a second instance on the link. */
    String problem(long poll) {
        if (poll != readInPoll) {
            readInPoll = poll;
            lastProblem = problem();
        }
        return lastProblem;
    }

    /** Why the link is not usable ("not found", "down", "no carrier"), or null when it is. */
    String problem() {
        try {
            if (operstate == null) {
                Path dir = sysClassNet.resolve(iface);
                operstate = FileChannel.open(dir.resolve("operstate"));
                carrier = FileChannel.open(dir.resolve("carrier"));
            }
            String problem = readIs(operstate, "down") ? "down" : readIs(carrier, "1") ? null : "no carrier";
            if (problem != null) {
                close();
            }
            return problem;
        } catch (IOException e) {
            close();
            return Links.problem(sysClassNet, iface);
        }
    }

    /** Whether the attribute, read afresh, is {@code value} (ASCII, before the newline). */
    private boolean readIs(FileChannel file, String value) throws IOException {
        buffer.clear();
        int n = file.read(buffer, 0);
        if (n <= 0) {
            throw new IOException(iface + ": empty sysfs attribute");
        }
        int end = buffer.get(n - 1) == '\n' ? n - 1 : n;
        if (end != value.length()) {
            return false;
        }
        for (int i = 0; i < end; i++) {
            if (buffer.get(i) != value.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    @Override
    public void close() {
        for (FileChannel f : new FileChannel[] {operstate, carrier}) {
            if (f != null) {
                try {
                    f.close();
                } catch (IOException e) {
                    // nothing to do: a sysfs file
                }
            }
        }
        operstate = null;
        carrier = null;
    }
}
