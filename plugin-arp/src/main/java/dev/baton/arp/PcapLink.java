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
                    .immediateMode(true) // a conflict or a reply matters now, not when a buffer fills
                    .build();
            if (filter != null) {
                h.setFilter(filter, BpfProgram.BpfCompileMode.OPTIMIZE);
            }
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
            return handle.getNextRawPacket();
        } catch (NotOpenException e) {
            throw new ProviderException("link closed", false, e);
        }
    }

    @Override
    public void close() {
        handle.close();
    }
}
