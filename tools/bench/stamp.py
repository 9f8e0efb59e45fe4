#!/usr/bin/env python3
"""Copies stdin to stdout, each line prefixed with the seconds since T0 (a Unix time) when it arrived.

usage: COMMAND | stamp.py T0
"""
import sys
import time

t0 = float(sys.argv[1])
for line in sys.stdin:
    sys.stdout.write(f"{time.time() - t0:10.3f} {line}")
    sys.stdout.flush()
