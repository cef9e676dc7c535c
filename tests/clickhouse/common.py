"""What tests/clickhouse/run.py, configs.py and bench/fleet.py share."""
import os

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
failures = []


def check(cond, msg):
    """Record a failure (and print it) unless COND; returns COND."""
    if not cond:
        failures.append(msg)
        print("FAIL:", msg)
    return cond


def load_sql(path):
    """The statements of the file, and its `-- name:` queries by name."""
    stmts, names, cur, name = [], {}, [], None
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.startswith("-- name:"):
                name = line.split(":", 1)[1].strip()
            if not cur and (line.startswith("--") or not line.strip()):
                continue
            cur.append(line)
            if line.split("--", 1)[0].rstrip().endswith(";"):
                sql = "".join(cur).rstrip().rstrip(";")
                if name:
                    names[name] = sql
                    name = None
                else:
                    stmts.append(sql)
                cur = []
    return stmts, names
