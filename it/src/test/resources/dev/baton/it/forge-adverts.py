#!/usr/bin/env python3
"""Sends forged VRRPv3 adverts (RFC 5798 5.1), or replays a recorded UDP payload, for the
fault-injection suite.

usage: forge-adverts.py MODE COUNT INTERVAL_S VRID PRIORITY VIP SRC:DST [SRC:DST ...]
       forge-adverts.py udp-replay COUNT INTERVAL_S PORT HEX_PAYLOAD SRC:DST [SRC:DST ...]

MODE nonpeer: an ordinary raw socket (IP protocol 112, TTL 255 as RFC 5798 5.1.1.3 requires);
              the kernel sets the source, so SRC must be this host's own address.
MODE ttl1:    IP_HDRINCL with our own IP header: any SRC (spoofed peer address) and TTL 1.
udp-replay:   IP_HDRINCL with our own IPv4 and UDP headers (UDP checksum 0: none, RFC 768), the
              payload as given: a recorded authenticated advert, re-sent from any SRC.
Prints the number of packets sent. Lab addresses only (10.99.0.0/16).
"""
import socket
import struct
import sys
import time


def checksum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


def advert(src, dst, vrid, priority, vip):
    # Version 3, type 1 (ADVERTISEMENT); one IPv4 address; Max Adver Int 10 cs (100 ms).
    body = struct.pack("!BBBBHH", 0x31, vrid, priority, 1, 10, 0) + socket.inet_aton(vip)
    # RFC 5798 5.2.8: the checksum covers an IPv4 pseudo-header as in UDP.
    pseudo = socket.inet_aton(src) + socket.inet_aton(dst) + struct.pack("!BBH", 0, 112, len(body))
    return body[:6] + struct.pack("!H", checksum(pseudo + body)) + body[8:]


def ip_header(src, dst, ttl, length):
    h = struct.pack("!BBHHHBBH4s4s", 0x45, 0xC0, 20 + length, 0, 0, ttl, 112, 0,
                    socket.inet_aton(src), socket.inet_aton(dst))
    return h[:10] + struct.pack("!H", checksum(h)) + h[12:]


def udp_datagram(src, dst, port, payload):
    udp = struct.pack("!HHHH", port, port, 8 + len(payload), 0) + payload
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0xC0, 20 + len(udp), 0, 0, 64, 17, 0,
                     socket.inet_aton(src), socket.inet_aton(dst))
    return ip[:10] + struct.pack("!H", checksum(ip)) + ip[12:] + udp


def lab_pairs(args):
    pairs = [a.split(":") for a in args]
    for src, dst in pairs:
        if not (src.startswith("10.99.") and dst.startswith("10.99.")):
            sys.exit("lab addresses only: " + src + " -> " + dst)
    return pairs


def replay(count, interval, port, payload, pairs):
    s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_RAW)
    s.setsockopt(socket.IPPROTO_IP, socket.IP_HDRINCL, 1)
    sent = 0
    for _ in range(count):
        for src, dst in pairs:
            s.sendto(udp_datagram(src, dst, port, payload), (dst, 0))
            sent += 1
        time.sleep(interval)
    print(sent)


def main():
    if sys.argv[1] == "udp-replay":
        replay(int(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4]), bytes.fromhex(sys.argv[5]), lab_pairs(sys.argv[6:]))
        return
    mode, count, interval, vrid, priority, vip = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), \
        int(sys.argv[4]), int(sys.argv[5]), sys.argv[6]
    pairs = lab_pairs(sys.argv[7:])
    if mode == "nonpeer":
        s = socket.socket(socket.AF_INET, socket.SOCK_RAW, 112)
        s.setsockopt(socket.IPPROTO_IP, socket.IP_TTL, 255)
    elif mode == "ttl1":
        s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_RAW)
        s.setsockopt(socket.IPPROTO_IP, socket.IP_HDRINCL, 1)
    else:
        sys.exit("unknown mode " + mode)
    sent = 0
    for _ in range(count):
        for src, dst in pairs:
            pdu = advert(src, dst, vrid, priority, vip)
            packet = pdu if mode == "nonpeer" else ip_header(src, dst, 1, len(pdu)) + pdu
            s.sendto(packet, (dst, 0))
            sent += 1
        time.sleep(interval)
    print(sent)


if __name__ == "__main__":
    main()
