package dev.baton.arp;

import dev.baton.api.ProviderException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.pcap4j.core.BpfProgram;
import org.pcap4j.core.NotOpenException;
import org.pcap4j.core.PcapHandle;
import org.pcap4j.core.PcapNativeException;
import org.pcap4j.core.PcapNetworkInterface;

/** A {@link Link} on libpcap through pcap4j. */
final class PcapLink implements Link {

    private static final String LIB_PROPERTY = "org.pcap4j.core.pcapLibName";
    private static final int SNAPLEN = 256;
    private static final int READ_TIMEOUT_MILLIS = 200;
    /** A receive that comes back this soon without a frame has not waited: pause, never spin. */
    private static final long QUICK_NULL_NANOS = 10_000_000L;
    private static final long PAUSE_MILLIS = 50;

    static {
        // Debian's runtime package ships libpcap.so.0.8 only (libpcap.so comes with -dev);
        // point pcap4j at it before its native mappings load.
        if (System.getProperty(LIB_PROPERTY) == null) {
            for (String p : List.of("/usr/lib/x86_64-linux-gnu/libpcap.so.0.8", "/usr/lib/aarch64-linux-gnu/libpcap.so.0.8",
                    "/usr/lib/libpcap.so.0.8", "/usr/lib64/libpcap.so.1")) {
                if (Files.exists(Path.of(p))) {
                    System.setProperty(LIB_PROPERTY, p);
                    break;
                }
            }
        }
    }

    private final PcapHandle handle;

    private PcapLink(PcapHandle handle) {
        this.handle = handle;
    }

    static Link open(String iface, String filter) throws ProviderException {
        try {
            PcapHandle h = new PcapHandle.Builder(iface)
                    .snaplen(SNAPLEN)
                    .promiscuousMode(PcapNetworkInterface.PromiscuousMode.NONPROMISCUOUS)
                    .timeoutMillis(READ_TIMEOUT_MILLIS)
                    .immediateMode(true)
                    .build();
            if (filter != null) {
                h.setFilter(filter, BpfProgram.BpfCompileMode.OPTIMIZE);
                // Other hosts' frames only: our own announcements are no claim, and each of a
                // takeover's would wake the watcher while the clients move over.
                h.setDirection(PcapHandle.PcapDirection.IN);
            }
            // Blocking: a receive sleeps in the kernel until a frame passes the filter (libpcap
            // 1.10 polls again when the read timeout passes, so it never returns empty) or
            // close() breaks the wait. It used to poll non-blocking every 20 ms, the agent's
            // largest CPU cost at rest: 50 wake-ups a second for nothing (perf, lab backup: 155
            // ms of CPU per 20 s, three times the election's).
            return new PcapLink(h);
        } catch (PcapNativeException | NotOpenException e) {
            throw new ProviderException("cannot open " + iface + " for raw frames: " + e.getMessage()
                    + " (needs libpcap and CAP_NET_RAW)", e);
        } catch (UnsatisfiedLinkError | NoClassDefFoundError e) {
            throw new ProviderException("libpcap not found (install the libpcap0.8 package): " + e.getMessage(), false, e);
        }
    }

    @Override
    public void send(byte[] frame) throws ProviderException {
        try {
            handle.sendPacket(frame);
        } catch (PcapNativeException | NotOpenException e) {
            throw new ProviderException("sending a frame failed: " + e.getMessage(), e);
        }
    }

    @Override
    public byte[] receive() throws ProviderException {
        try {
            long start = System.nanoTime();
            byte[] frame = handle.getNextRawPacket();
            if (frame == null && System.nanoTime() - start < QUICK_NULL_NANOS) {
                Thread.sleep(PAUSE_MILLIS); // the library did not wait: should it never, do not spin
            }
            return frame;
        } catch (NotOpenException e) {
            throw new ProviderException("link closed", false, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProviderException("interrupted", false, e);
        }
    }

    /**
     * Wakes a receive waiting on another thread (pcap_breakloop: libpcap 1.10 polls an eventfd
     * beside the socket), then closes, which waits until that receive has returned.
     */
    @Override
    public void close() {
        try {
            handle.breakLoop();
        } catch (NotOpenException e) {
            return; // closed already
        }
        handle.close();
    }
}
