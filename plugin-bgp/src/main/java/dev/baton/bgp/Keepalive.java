package dev.baton.bgp;

/** KEEPALIVE: a header and nothing else (RFC 4271 §4.4). */
enum Keepalive implements BgpMessage {
    INSTANCE;

    @Override
    public int type() {
        return KEEPALIVE;
    }
}
