#!/usr/bin/env python3
"""Check `utx dump --json FILE` field by field against `utmpdump FILE`.

usage: json_vs_utmpdump.py UTX FILE...   (Linux 384-byte little-endian files)

Every JSON line must parse, there must be one per utmpdump line, and each
entry's type, pid, id, user, line, host, address and time, rendered the way
util-linux 2.38 renders them, must equal utmpdump's columns.  String fields
are taken from NAME_hex when present (bytes that are not UTF-8), so this
also checks that JSON strings carry the exact bytes.  Exit 1 on the first
mismatch of each file (reported), 0 when all files agree.
"""
import codecs
import datetime
import json
import re
import socket
import subprocess
import sys

COLUMN = re.compile(r"\[(.*?)\] ?")


def cleanse(b):
    """utmpdump's cleanse(): controls, DEL, bytes >= 0x80, [ and ] -> '?'."""
    return "".join("?" if c < 0x20 or c >= 0x7F or c in b"[]" else chr(c) for c in b)


# utx's rule for bytes that are not UTF-8: each byte of an invalid
# sequence becomes the code point of the same value (\u00XX).
codecs.register_error("utx-byte", lambda ex: (chr(ex.object[ex.start]), ex.start + 1))


class Mismatch(Exception):
    pass


def field(e, name):
    """The field's bytes; with NAME_hex, the JSON string must be those bytes
    decoded by utx's rule, and NAME_hex must be there only for non-UTF-8."""
    if name + "_hex" not in e:
        return e[name].encode("utf-8")
    raw = bytes.fromhex(e[name + "_hex"])
    try:
        raw.decode("utf-8")
        raise Mismatch("%s_hex given for valid UTF-8 %r" % (name, raw))
    except UnicodeDecodeError:
        pass
    if e[name] != raw.decode("utf-8", "utx-byte"):
        raise Mismatch("%s %r does not match %s_hex %r" % (name, e[name], name, raw))
    return raw


def addr(e):
    """util-linux: IPv4 unless words 1-3 are non-zero."""
    raw = bytes(16)
    if e["addr"]:
        fam = socket.AF_INET6 if ":" in e["addr"] else socket.AF_INET
        raw = socket.inet_pton(fam, e["addr"]).ljust(16, b"\0")
    if any(raw[4:]):
        return socket.inet_ntop(socket.AF_INET6, raw)
    return socket.inet_ntop(socket.AF_INET, raw[:4])


def when(e):
    """This host's utmpdump reads the 32-bit tv_sec as signed."""
    sec = e["sec"]
    if sec >= 2**31:
        sec -= 2**32
    t = datetime.datetime(1970, 1, 1) + datetime.timedelta(seconds=sec)
    return t.strftime("%Y-%m-%dT%H:%M:%S") + ",%06d+00:00" % e["usec"]


def render(e):
    return [
        str(e["raw_type"]),
        "%05d" % e["pid"],
        "%-4.4s" % cleanse(field(e, "id")),
        "%-8s" % cleanse(field(e, "user"))[:32],
        "%-12s" % cleanse(field(e, "line"))[:32],
        "%-20s" % cleanse(field(e, "host"))[:256],
        "%-15s" % addr(e),
        when(e),
    ]


def check(utx, path):
    want = subprocess.run(["utmpdump", path], capture_output=True).stdout
    got = subprocess.run([utx, "dump", "--json", path], capture_output=True)
    if got.returncode != 0:
        return "utx exited %d: %s" % (got.returncode, got.stderr.decode(errors="replace"))
    want_lines = want.decode("latin-1").splitlines()
    got_lines = got.stdout.decode("utf-8").splitlines()
    if len(want_lines) != len(got_lines):
        return "%d JSON lines, utmpdump printed %d" % (len(got_lines), len(want_lines))
    for i, (w, g) in enumerate(zip(want_lines, got_lines)):
        e = json.loads(g)
        if e["format"] != "linux-384-le" or e["offset"] != i * 384:
            return "entry %d: format %s offset %d" % (i, e["format"], e["offset"])
        cols = COLUMN.findall(w)
        try:
            mine = render(e)
        except Mismatch as m:
            return "entry %d: %s" % (i, m)
        if cols != mine:
            return "entry %d:\n  utmpdump %s\n  json     %s" % (i, cols, mine)
    return None


def main():
    utx, files = sys.argv[1], sys.argv[2:]
    bad = 0
    for path in files:
        problem = check(utx, path)
        if problem:
            bad += 1
            print("MISMATCH %s: %s" % (path, problem))
    print("%d files checked, %d mismatched" % (len(files), bad))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
