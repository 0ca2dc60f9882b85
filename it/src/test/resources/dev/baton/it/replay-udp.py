#!/usr/bin/env python3
"""Replays a recorded UDP payload from a spoofed source, for the fault-injection suite.

usage: replay-udp.py COUNT INTERVAL_S PORT HEX_PAYLOAD SRC:DST [SRC:DST ...]

IP_HDRINCL with our own IPv4 and UDP headers (UDP checksum 0: none, RFC 768), so SRC may be any
lab address, e.g. a peer that has died. Prints the number of datagrams sent. Lab addresses only
(10.99.0.0/16).
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


def datagram(src, dst, port, payload):
    udp = struct.pack("!HHHH", port, port, 8 + len(payload), 0) + payload
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0xC0, 20 + len(udp), 0, 0, 64, 17, 0,
                     socket.inet_aton(src), socket.inet_aton(dst))
    return ip[:10] + struct.pack("!H", checksum(ip)) + ip[12:] + udp


def main():
    count, interval, port, payload = int(sys.argv[1]), float(sys.argv[2]), int(sys.argv[3]), bytes.fromhex(sys.argv[4])
    pairs = [a.split(":") for a in sys.argv[5:]]
    for src, dst in pairs:
        if not (src.startswith("10.99.") and dst.startswith("10.99.")):
            sys.exit("lab addresses only: " + src + " -> " + dst)
    s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_RAW)
    s.setsockopt(socket.IPPROTO_IP, socket.IP_HDRINCL, 1)
    sent = 0
    for _ in range(count):
        for src, dst in pairs:
            s.sendto(datagram(src, dst, port, payload), (dst, 0))
            sent += 1
        time.sleep(interval)
    print(sent)


if __name__ == "__main__":
    main()
