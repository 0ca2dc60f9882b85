package dev.baton.vrrp;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * One VRRP advertisement, version 2 (RFC 3768) or 3 (RFC 5798). Immutable.
 *
 * <pre>
 * v3 (RFC 5798 section 5.1)                    v2 (RFC 3768 section 5.1)
 *  0      3 4      7 8       15 16     23 24 31   same first four octets, then
 * |Version| Type   | VRID     |Priority |Count|  |Auth Type|Adver Int|Checksum|
 * |(rsvd)| Max Adver Int (cs) |  Checksum     |  |IPv4 Address(es)            |
 * |  IPvX Address(es)                         |  |Authentication Data (8 o.)  |
 * </pre>
 *
 * The checksum is not a field of this type: it depends on the addresses the packet travels
 * between (v3) and is computed by {@link VrrpEncoder} and verified by {@link VrrpDecoder}.
 */
public final class VrrpPacket {

    /** RFC 5798 5.2.2: the only type defined. */
    public static final int TYPE_ADVERTISEMENT = 1;
    /** RFC 3768 5.3.6: no authentication. */
    public static final int AUTH_NONE = 0;
    /** RFC 3768 5.3.6 (from RFC 2338): simple text password, 8 octets. */
    public static final int AUTH_PASS = 1;
    /** RFC 3768 5.3.10: authentication data is always 8 octets. */
    public static final int AUTH_DATA_LENGTH = 8;
    /** RFC 5798 5.2.4: the priority a master sends when it stops. */
    public static final int PRIORITY_STOP = 0;
    /** RFC 5798 5.2.4: the priority of the router that owns the addresses. */
    public static final int PRIORITY_OWNER = 255;

    private static final byte[] NO_AUTH = new byte[AUTH_DATA_LENGTH];

    private final int version;
    private final int vrid;
    private final int priority;
    private final int advertInterval;
    private final List<InetAddress> addresses;
    private final int authType;
    private final byte[] authData;

    private VrrpPacket(int version, int vrid, int priority, int advertInterval, List<InetAddress> addresses,
                       int authType, byte[] authData) {
        this.version = version;
        this.vrid = checkRange("vrid", vrid, 1, 255);
        this.priority = checkRange("priority", priority, 0, 255);
        this.advertInterval = advertInterval;
        this.addresses = List.copyOf(addresses);
        this.authType = authType;
        this.authData = authData;
        if (this.addresses.isEmpty() || this.addresses.size() > 255) {
            throw new IllegalArgumentException("a VRRP packet carries 1..255 addresses, got " + this.addresses.size());
        }
        boolean v4 = this.addresses.getFirst() instanceof Inet4Address;
        for (InetAddress a : this.addresses) {
            if ((a instanceof Inet4Address) != v4) {
                throw new IllegalArgumentException("addresses of one VRRP packet must be of one family: " + this.addresses);
            }
        }
        if (version == 2 && !v4) {
            throw new IllegalArgumentException("VRRPv2 carries IPv4 addresses only");
        }
    }

    /**
     * A VRRPv3 advertisement (RFC 5798).
     *
     * @param maxAdvertIntervalCentis Max Adver Int in centiseconds, 1..4095 (section 5.2.7)
     */
    public static VrrpPacket v3(int vrid, int priority, int maxAdvertIntervalCentis, List<InetAddress> addresses) {
        checkRange("max advert interval (centiseconds)", maxAdvertIntervalCentis, 1, 0xFFF);
        return new VrrpPacket(3, vrid, priority, maxAdvertIntervalCentis, addresses, AUTH_NONE, NO_AUTH);
    }

    /**
     * A VRRPv2 advertisement (RFC 3768).
     *
     * @param advertIntervalSeconds Adver Int in whole seconds, 1..255 (section 5.3.7)
     * @param authType {@link #AUTH_NONE} or {@link #AUTH_PASS}
     * @param authData the password for PASS, at most 8 octets (zero-padded on the wire)
     */
    public static VrrpPacket v2(int vrid, int priority, int advertIntervalSeconds, List<InetAddress> addresses,
                                int authType, byte[] authData) {
        checkRange("advert interval (seconds)", advertIntervalSeconds, 1, 255);
        checkRange("auth type", authType, AUTH_NONE, AUTH_PASS);
        if (authData.length > AUTH_DATA_LENGTH) {
            throw new IllegalArgumentException("auth data is at most 8 octets, got " + authData.length);
        }
        byte[] padded = Arrays.copyOf(authData, AUTH_DATA_LENGTH);
        return new VrrpPacket(2, vrid, priority, advertIntervalSeconds, addresses, authType, padded);
    }

    /** The same advertisement with another priority: how a master says it stops (priority 0). */
    public VrrpPacket withPriority(int newPriority) {
        return new VrrpPacket(version, vrid, newPriority, advertInterval, addresses, authType, authData);
    }

    public int version() {
        return version;
    }

    public int vrid() {
        return vrid;
    }

    public int priority() {
        return priority;
    }

    /** The interval field as on the wire: centiseconds for v3, seconds for v2. */
    public int advertIntervalField() {
        return advertInterval;
    }

    /** The advertisement interval the sender uses. */
    public Duration advertInterval() {
        return version == 3 ? Duration.ofMillis(advertInterval * 10L) : Duration.ofSeconds(advertInterval);
    }

    public List<InetAddress> addresses() {
        return addresses;
    }

    public boolean isIpv4() {
        return addresses.getFirst() instanceof Inet4Address;
    }

    /** v2 only; {@link #AUTH_NONE} for v3. */
    public int authType() {
        return authType;
    }

    /** v2 only: the 8 octets of authentication data (a copy). */
    public byte[] authData() {
        return authData.clone();
    }

    /** Whether the auth data is {@code password} zero-padded to 8 octets (RFC 3768 5.3.10). */
    public boolean authDataMatches(dev.baton.api.Secret password) {
        return password.matchesPadded(authData);
    }

    /** Octets this packet takes on the wire (RFC 5798 5.1 / RFC 3768 5.1). */
    public int encodedLength() {
        int addressBytes = addresses.size() * (isIpv4() ? 4 : 16);
        return 8 + addressBytes + (version == 2 ? AUTH_DATA_LENGTH : 0);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof VrrpPacket p && version == p.version && vrid == p.vrid && priority == p.priority
                && advertInterval == p.advertInterval && authType == p.authType
                && addresses.equals(p.addresses) && Arrays.equals(authData, p.authData);
    }

    @Override
    public int hashCode() {
        return Objects.hash(version, vrid, priority, advertInterval, addresses, authType, Arrays.hashCode(authData));
    }

    /** Never shows the auth data: it is a password. */
    @Override
    public String toString() {
        return "VRRPv" + version + "{vrid=" + vrid + ", priority=" + priority + ", interval="
                + advertInterval + (version == 3 ? "cs" : "s") + ", addresses=" + addresses
                + (version == 2 ? ", auth=" + (authType == AUTH_PASS ? "PASS" : "none") : "") + "}";
    }

    private static int checkRange(String what, int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(what + " must be " + min + ".." + max + ", got " + value);
        }
        return value;
    }
}
