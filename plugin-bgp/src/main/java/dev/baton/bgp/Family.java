package dev.baton.bgp;

/** The address families this speaker carries: AFI and SAFI of RFC 4760 §3 (IANA registries). */
enum Family {
    IPV4_UNICAST(1, 1, 4),
    IPV6_UNICAST(2, 1, 16);

    static final int AFI_IPV4 = 1;
    static final int AFI_IPV6 = 2;

    final int afi;
    final int safi;
    /** Bytes of a full address of this family. */
    final int addressBytes;

    Family(int afi, int safi, int addressBytes) {
        this.afi = afi;
        this.safi = safi;
        this.addressBytes = addressBytes;
    }

    /** The family, or null for one this speaker does not carry. */
    static Family of(int afi, int safi) {
        for (Family f : values()) {
            if (f.afi == afi && f.safi == safi) {
                return f;
            }
        }
        return null;
    }

    @Override
    public String toString() {
        return this == IPV4_UNICAST ? "ipv4-unicast" : "ipv6-unicast";
    }
}
