package dev.baton.bgp;

import dev.baton.api.Secret;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;

/**
 * What the speaker needs, already validated. The defaults are lelastic's (see {@code BgpProvider}).
 *
 * @param peers          route servers to keep a session with, each on its port
 * @param localAs        our AS
 * @param peerAs         the AS every peer must present in its OPEN
 * @param routerId       BGP identifier as an int; 0 to use the session's IPv4 source, else {@code fallbackId}
 * @param fallbackId     BGP identifier for sessions without an IPv4 source
 * @param holdTime       proposed hold time (RFC 4271 §4.2), zero or at least 3 s
 * @param keepalive      keepalive interval, at most a third of the negotiated hold time
 * @param connectRetry   first wait before a reconnect; doubles per failure up to {@code connectRetryMax}
 * @param connectRetryMax longest wait before a reconnect
 * @param ttl            IP TTL / hop limit of our packets (eBGP multihop)
 * @param origin         ORIGIN to send
 * @param localAddress   source address to bind, or null for the kernel's choice
 * @param password       TCP MD5 signature key (RFC 2385), or null
 * @param resetOnUpdateError reset the session on every malformed UPDATE instead of RFC 7606's treat-as-withdraw
 */
record SpeakerConfig(List<InetSocketAddress> peers, long localAs, long peerAs, int routerId, int fallbackId,
        Duration holdTime, Duration keepalive, Duration connectRetry, Duration connectRetryMax, int ttl, int origin,
        InetAddress localAddress, Secret password, boolean resetOnUpdateError) {

    SpeakerConfig {
        peers = List.copyOf(peers);
    }

    boolean internal() {
        return localAs == peerAs;
    }
}
