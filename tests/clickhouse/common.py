"""What tests/clickhouse/run.py and configs.py share."""
import os

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
failures = []


def check(cond, msg):
    """Record a failure (and print it) unless COND; returns COND."""
    if not cond:
        failures.append(msg)
        print("FAIL:", msg)
    return cond
