-- utx in ClickHouse: login events and sessions of a fleet.
--
-- Tables for the JSON lines of `utx dump --json` and `utx last --json`, and
-- the queries that answer the fleet questions.  The lines go in unchanged:
--
--   utx dump --json --host-name web-1 wtmp |
--       clickhouse-client --query 'INSERT INTO utx_events FORMAT JSONEachRow'
--   utx dump --json --host-name web-1 btmp |
--       clickhouse-client --query 'INSERT INTO utx_failed_logins FORMAT JSONEachRow'
--   utx last --json --host-name web-1 -f wtmp |
--       clickhouse-client --query 'INSERT INTO utx_sessions FORMAT JSONEachRow'
--
-- (without --host-name, utx names this host for its own databases).  The
-- JSON keys are the column names; `time` (events) and `login_time`,
-- `logout_time` (sessions) are MATERIALIZED from the exact numbers, so the
-- `time` text of a dump line is skipped like any key without a column:
-- input_format_skip_unknown_fields must be 1 (the default since ClickHouse
-- 23.1).
--
-- Tested with a real engine (chdb 3.7.2, ClickHouse 25.8):
-- tests/clickhouse/run.sh creates these tables, ingests corpus and
-- glibc-written files under several host names and checks the answer of
-- every `-- name:` query below against the same answer computed in Python
-- from the utx lines.
--
-- Times: DateTime64(6, 'UTC') holds 1900-01-01 to 2299-12-31; a record's
-- time outside that range (a corrupt record) is clamped to it in `time`,
-- and its exact value stays in `sec`/`usec` (`login`/`logout`).  No
-- PARTITION BY: a corrupt file's times could span centuries, and ClickHouse
-- refuses an insert that touches more than 100 partitions.  For a fleet
-- whose files are sane, add PARTITION BY toYYYYMM(time) and a TTL.

-- One row per `utx dump --json` line of wtmp (and utmp) files
-- (docs/utx-dump.schema.json).
CREATE TABLE IF NOT EXISTS utx_events
(
    host_name LowCardinality(String),      -- --host-name, or the host's own name
    format LowCardinality(String),         -- linux-384-le, freebsd-utx-log, ...
    offset UInt64,                         -- byte offset of the record in its file
    type LowCardinality(String),           -- USER_PROCESS, DEAD_PROCESS, BOOT_TIME, ...
    type_num Int32,
    raw_type Int32,
    user LowCardinality(String),
    line LowCardinality(String),
    id String,
    host String,                           -- the record's remote host (ut_host)
    service LowCardinality(String),
    pid Int64,
    session Int64,
    uid Int64,
    exit_termination Int32,
    exit_status Int32,
    sec Int64,
    usec Int32,
    addr_family LowCardinality(String),    -- ipv4, ipv6, none
    addr String,                           -- the address as text, '' when none
    flags Array(LowCardinality(String)),   -- NOT_UTF8, TIME_IMPLAUSIBLE, ...
    -- the exact bytes (hex) of a string that is not UTF-8
    user_hex String DEFAULT '',
    line_hex String DEFAULT '',
    id_hex String DEFAULT '',
    host_hex String DEFAULT '',
    service_hex String DEFAULT '',
    addr_hex String DEFAULT '',
    time DateTime64(6, 'UTC') MATERIALIZED fromUnixTimestamp64Micro(
        toInt64(least(greatest(toInt128(sec) * 1000000 + usec, -2208988800000000),
                      10413791999999999)), 'UTC')
)
ENGINE = MergeTree
ORDER BY (host_name, time)
SETTINGS index_granularity = 8192;

-- One row per `utx dump --json` line of btmp files: failed logins.  The
-- same columns as utx_events.
CREATE TABLE IF NOT EXISTS utx_failed_logins AS utx_events;

-- One row per `utx last --json` line (docs/utx-last.schema.json, a
-- session).  A scheduled `utx last --json` sends a session again (still
-- logged in, then logged out), and `utx last --follow` sends a login, then
-- the session again when it ends: ReplacingMergeTree keeps one row per
-- session, the one with a logout when there is one (read it with FINAL).
CREATE TABLE IF NOT EXISTS utx_sessions
(
    host_name LowCardinality(String),
    kind LowCardinality(String),           -- user, reboot, shutdown, runlevel, clock
    user LowCardinality(String),
    line LowCardinality(String),
    id String,
    host String,
    addr String,
    pid Int64,
    login Decimal128(6),                   -- seconds.microseconds since 1970, exact
    logout Nullable(Decimal128(6)),
    end LowCardinality(String),            -- logged-out, still-logged-in, gone, crash, down, ...
    login_offset UInt64,
    logout_offset Nullable(Int64),
    runlevel String DEFAULT '',
    clock LowCardinality(String) DEFAULT '',
    source LowCardinality(String),         -- the file utx read
    login_time DateTime64(6, 'UTC') MATERIALIZED fromUnixTimestamp64Micro(
        toInt64(least(greatest(toInt128(login * 1000000), -2208988800000000),
                      10413791999999999)), 'UTC'),
    logout_time Nullable(DateTime64(6, 'UTC')) MATERIALIZED if(logout IS NULL, NULL,
        fromUnixTimestamp64Micro(
            toInt64(least(greatest(toInt128(assumeNotNull(logout) * 1000000), -2208988800000000),
                          10413791999999999)), 'UTC')),
    has_logout UInt8 MATERIALIZED logout IS NOT NULL
)
ENGINE = ReplacingMergeTree(has_logout)
ORDER BY (host_name, login_time, source, login_offset, kind);

-- The questions.  Each query is one `-- name:` block, run as it stands.

-- name: logins_per_user
-- Logins (USER_PROCESS records) per user across all hosts.
SELECT user, count() AS logins, uniqExact(host_name) AS hosts
FROM utx_events
WHERE type = 'USER_PROCESS'
GROUP BY user
ORDER BY logins DESC, user;

-- name: user_hosts
-- The hosts each user reached, and from which addresses and remote hosts.
SELECT user, host_name, count() AS logins,
       arraySort(groupUniqArrayIf(addr, addr != '')) AS addrs,
       arraySort(groupUniqArrayIf(host, host != '')) AS remote_hosts
FROM utx_events
WHERE type = 'USER_PROCESS'
GROUP BY user, host_name
ORDER BY user, host_name;

-- name: failed_logins_per_source
-- Failed logins (btmp) per source (the address, else the remote host) and day.
SELECT if(addr != '', addr, host) AS source, toDate32(time) AS day,
       count() AS attempts, uniqExact(host_name) AS hosts, uniqExact(user) AS users
FROM utx_failed_logins
GROUP BY source, day
ORDER BY day, attempts DESC, source;

-- name: failed_logins_per_user
-- Failed logins (btmp) per target user and day.
SELECT user, toDate32(time) AS day, count() AS attempts,
       uniqExact(host_name) AS hosts, uniqExact(if(addr != '', addr, host)) AS sources
FROM utx_failed_logins
GROUP BY user, day
ORDER BY day, attempts DESC, user;

-- name: open_sessions_per_host
-- Sessions still open (as of each host's last export) per host.
SELECT host_name, count() AS open_sessions, arraySort(groupUniqArray(user)) AS users
FROM utx_sessions FINAL
WHERE kind = 'user' AND end = 'still-logged-in'
GROUP BY host_name
ORDER BY host_name;

-- name: reboots_and_crashes_per_host
-- Boots per host; crashes: boots that ended sessions with no shutdown
-- first (the distinct logout times of sessions that end in a crash).
SELECT host_name,
       countIf(kind = 'reboot') AS reboots,
       uniqExactIf(logout, end = 'crash') AS crashes,
       countIf(end = 'crash') AS sessions_crashed
FROM utx_sessions FINAL
GROUP BY host_name
HAVING reboots > 0 OR crashes > 0
ORDER BY host_name;

-- name: first_last_seen_per_user
-- When each user was first and last seen logging in, on how many hosts.
SELECT user, min(time) AS first_seen, max(time) AS last_seen,
       uniqExact(host_name) AS hosts
FROM utx_events
WHERE type = 'USER_PROCESS'
GROUP BY user
ORDER BY user;
