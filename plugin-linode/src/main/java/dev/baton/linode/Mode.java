package dev.baton.linode;

/** What the provider does with the VIP through the Linode API. */
enum Mode {
    /**
     * Moves the IP to this Linode on acquire ({@code POST /networking/ips/assign}): the cloud
     * routes it here, nothing else needed. For IPv4 addresses.
     */
    ASSIGN,
    /**
     * Makes sure every listed Linode may carry the IP ({@code POST /networking/ips/share}) and
     * leaves moving the traffic to the next provider: arp in ARP data centers, bgp in BGP ones.
     */
    SHARE;

    static Mode of(String word) {
        return word.equals("share") ? SHARE : ASSIGN;
    }

    String word() {
        return this == SHARE ? "share" : "assign";
    }
}
