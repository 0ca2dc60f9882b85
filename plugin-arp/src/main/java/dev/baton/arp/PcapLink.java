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
    /** How long receive() waits when no frame is queued: the watcher notices a claim within this. */
    private static final long POLL_MILLIS = 20;

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
            }
            // Non-blocking: with TPACKET_V3 a blocking pcap_next waits for a frame however long,
            // ignoring the read timeout, and close() would wait with it. receive() polls instead.
            h.setBlockingMode(PcapHandle.BlockingMode.NONBLOCKING);
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
            byte[] frame = handle.getNextRawPacket();
            if (frame == null) {
                Thread.sleep(POLL_MILLIS);
            }
            return frame;
        } catch (NotOpenException e) {
            throw new ProviderException("link closed", false, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProviderException("interrupted", false, e);
        }
    }

    @Override
    public void close() {
        handle.close();
    }
}
