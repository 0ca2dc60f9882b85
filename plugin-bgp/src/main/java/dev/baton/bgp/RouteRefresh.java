package dev.baton.bgp;

/** ROUTE-REFRESH (RFC 2918 §3): the peer asks for our routes of one family again. */
record RouteRefresh(int afi, int safi) implements BgpMessage {
    @Override
    public int type() {
        return ROUTE_REFRESH;
    }
}
