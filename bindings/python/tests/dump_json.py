"""Print every entry of each file for bindings/compare-dump.py."""
import json
import sys

import utx


def enc(s):
    return s.encode("utf-8", "surrogateescape").hex()


def main(paths):
    for path in paths:
        print("FILE " + path)
        with utx.open(path) as r:
            for e in r:
                print(json.dumps({
                    "format": e.format, "offset": e.offset,
                    "type": e.type.name if isinstance(e.type, utx.EntryType) else str(e.type),
                    "raw_type": -1 if e.raw_type is None else e.raw_type,
                    "user_hex": enc(e.user), "line_hex": enc(e.line), "id_hex": enc(e.id),
                    "host_hex": enc(e.host), "service_hex": enc(e.service),
                    "pid": -1 if e.pid is None else e.pid,
                    "session": -1 if e.session is None else e.session,
                    "uid": -1 if e.uid is None else e.uid,
                    "exit_termination": -1 if e.exit_termination is None else e.exit_termination,
                    "exit_status": -1 if e.exit_status is None else e.exit_status,
                    "sec": e.sec, "usec": e.usec, "addr": "" if e.addr is None else str(e.addr),
                    "flags": int(e.flags)}))


if __name__ == "__main__":
    main(sys.argv[1:])
