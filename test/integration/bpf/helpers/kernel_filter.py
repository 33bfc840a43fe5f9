#!/usr/bin/env python3
"""Runs classic BPF programs in the Linux kernel: for each program, an AF_PACKET socket bound to RECV_IF gets the
program with SO_ATTACH_FILTER, every frame is sent through SEND_IF (the other end of a veth pair), and the
frames that reach the socket are reported.

    kernel_filter.py RECV_IF SEND_IF PROGRAMS FRAMES

PROGRAMS: one program a line, `tcpdump -ddd` text with its lines joined by commas. FRAMES: frames back to back,
each preceded by its length (big-endian uint32). Prints a JSON array: per program, the 0-based indices of the
frames received (matched by their bytes; frames the kernel sends on its own are ignored).
"""
import json
import select
import socket
import struct
import sys
import time

SO_ATTACH_FILTER = 26  # include/uapi/asm-generic/socket.h
ETH_P_ALL = 0x0003
DRAIN_SECONDS = 0.3


def main():
    recv_if, send_if, programs_file, frames_file = sys.argv[1:5]
    data = open(frames_file, 'rb').read()
    frames = []
    p = 0
    while p + 4 <= len(data):
        (n,) = struct.unpack('>I', data[p:p + 4])
        frames.append(data[p + 4:p + 4 + n])
        p += 4 + n
    index = {}
    for i, f in enumerate(frames):
        index.setdefault(f, []).append(i)
    sender = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_P_ALL))
    sender.bind((send_if, 0))
    results = []
    for line in open(programs_file).read().strip().split('\n'):
        insns = [tuple(int(v) for v in ins.split()) for ins in line.split(',')[1:]]
        blob = b''.join(struct.pack('HBBI', c, jt, jf, k) for c, jt, jf, k in insns)
        buf = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_P_ALL))
        # struct sock_fprog { unsigned short len; struct sock_filter *filter; }, the pointer from a ctypes buffer.
        import ctypes
        cbuf = ctypes.create_string_buffer(blob)
        fprog = struct.pack('HL', len(insns), ctypes.addressof(cbuf))
        buf.setsockopt(socket.SOL_SOCKET, SO_ATTACH_FILTER, fprog)
        buf.bind((recv_if, 0))
        for f in frames:
            sender.send(f)
        got = []
        deadline = time.time() + DRAIN_SECONDS
        while True:
            left = deadline - time.time()
            if left <= 0 or not select.select([buf], [], [], left)[0]:
                break
            frame = buf.recv(65535)
            for i in index.get(frame, []):
                if i not in got:
                    got.append(i)
                    break
        buf.close()
        results.append(sorted(got))
    print(json.dumps(results))


main()
