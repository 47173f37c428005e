#!/usr/bin/env python3
"""Prints benchmark id and median time from criterion's text output (stdin), one per line."""
import re
import sys

name = None
for line in sys.stdin:
    line = line.rstrip("\n")
    m = re.match(r"^(\S.*?)\s+time:\s+\[\S+ \S+ (\S+) (\S+) \S+ \S+\]", line)
    if m:
        print(f"{m.group(1):<50} {m.group(2)} {m.group(3)}")
        continue
    m = re.match(r"^\s+time:\s+\[\S+ \S+ (\S+) (\S+) \S+ \S+\]", line)
    if m and name:
        print(f"{name:<50} {m.group(1)} {m.group(2)}")
        continue
    if line and not line.startswith(" ") and "time:" not in line and "/" in line:
        name = line.strip()
