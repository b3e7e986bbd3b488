#!/usr/bin/env bash
# The province's copy in PostgreSQL, measured (figures printed; docs/scale.md keeps the latest):
#   1. `qingling ship` of one large county log (events/s, MB/s), against psql's \copy of the
#      same rows into the same table (the server's own limit for that table), and of the
#      exported JSON Lines into a one-column jsonb table, in one run;
#   2. N counties in one database: its size, `qingling.clearance_statistics` for all of them
#      against `qingling stats` of each county;
#   3. `qingling restore` of the large county against copying its log directory;
#   4. multi-row INSERTs of the same rows as 1. into the same table (ROWS_PER_INSERT rows a
#      statement, 1,000 by default; ROWS_PER_TRANSACTION, 50,000 by default, as `ship` does; sent
#      by psql from a file) against COPY of them, the measure behind `ship`'s use of COPY.
# Starts a PostgreSQL 15 cluster of its own (Debian's, as the tests do) in a temporary
# directory and removes it at the end.
#
#   bash tools/province-bench/run.sh [HAZARDS_PER_YEAR] [COUNTIES] [COUNTY_HAZARDS_PER_YEAR]
# or the same as environment variables. Defaults: 40000 hazards a year (`qingling generate` makes
# about 23.5 events a hazard over its default years 2023-2026: about 0.94M events; 170000 gives
# about 4M), 20 counties of 2000 hazards a year each (42600 gives about 1M events a county).
# A size of 0 skips its part: HAZARDS_PER_YEAR=0 skips 1, 3 and 4; COUNTIES=0 skips 2.
# QINGLING=path/to/qingling (default: the release build, .build/release/qingling, if there is
# one: `swift build -c release --static-swift-stdlib --product qingling`; else .build/debug/qingling).
set -euo pipefail
cd "$(dirname "$0")/../.."
HAZARDS=${1:-${HAZARDS_PER_YEAR:-40000}}
COUNTIES=${2:-${COUNTIES:-20}}
COUNTY_HAZARDS=${3:-${COUNTY_HAZARDS_PER_YEAR:-2000}}
ROWS_PER_INSERT=${ROWS_PER_INSERT:-1000}
ROWS_PER_TRANSACTION=${ROWS_PER_TRANSACTION:-50000}
if [ -z "${QINGLING:-}" ]; then
    QINGLING=.build/release/qingling
    [ -x "$QINGLING" ] || QINGLING=.build/debug/qingling
fi
PGBIN=${QINGLING_PG_BIN:-/usr/lib/postgresql/15/bin}
WORK=$(mktemp -d /tmp/province-bench.XXXXXX); chmod 755 "$WORK"
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
PASSWORD=bench-$RANDOM$RANDOM
as_server() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
now() { date +%s.%N; }
elapsed() { python3 -c "print(f'{$2 - $1:.2f}')"; }
cleanup() { as_server "$PGBIN/pg_ctl" stop -m fast -D "$WORK/pg/data" >/dev/null 2>&1 || true; rm -rf "$WORK"; }
trap cleanup EXIT

mkdir -p "$WORK/pg"
echo "$PASSWORD" > "$WORK/pg/password"
[ "$(id -u)" -eq 0 ] && chown -R postgres:postgres "$WORK/pg"
as_server "$PGBIN/initdb" -D "$WORK/pg/data" -U qingling --pwfile "$WORK/pg/password" --auth=scram-sha-256 --encoding=UTF8 --locale=C.UTF-8 >/dev/null
as_server "$PGBIN/pg_ctl" start -w -D "$WORK/pg/data" -l "$WORK/pg/server.log" \
    -o "-p $PORT -k $WORK/pg -c listen_addresses=127.0.0.1 -c shared_buffers=1GB -c max_wal_size=4GB" >/dev/null
URL() { echo "postgres://qingling:$PASSWORD@127.0.0.1:$PORT/$1"; }
psql_() { local db=$1; shift; "$PGBIN/psql" -X -q -v ON_ERROR_STOP=1 -A -t "$(URL "$db")" "$@"; }
for db in big copied counties; do psql_ postgres -c "CREATE DATABASE $db"; done
echo "$(date -u '+%Y-%m-%d %H:%M UTC'); binary: $QINGLING; PostgreSQL: $("$PGBIN/postgres" --version); $(nproc) cores; load average: $(cut -d' ' -f1-3 /proc/loadavg)"

if [ "$HAZARDS" -gt 0 ]; then
# 1. Ship throughput.
"$QINGLING" generate --hazards-per-year "$HAZARDS" --into "$WORK/big" >/dev/null
LOGBYTES=$(du -sb "$WORK/big/segments" | cut -f1)
start=$(now); "$QINGLING" ship --log "$WORK/big" --postgres "$(URL big)" --init >/dev/null; end=$(now)
SHIP=$(elapsed "$start" "$end")
ROWS=$(psql_ big -c "SELECT count(*) FROM qingling.events")
echo "ship: $ROWS events ($LOGBYTES bytes of segments) in $SHIP s: $(python3 -c "print(f'{$ROWS/$SHIP:,.0f} events/s, {$LOGBYTES/$SHIP/1e6:.1f} MB/s of log')")"
psql_ big -c "\\copy (SELECT * FROM qingling.events) TO '$WORK/events.tsv'"
# The same schema and partitions in a second database: a small log of the same county and years, shipped, then emptied.
"$QINGLING" generate --hazards-per-year 5 --into "$WORK/small" >/dev/null
"$QINGLING" ship --log "$WORK/small" --postgres "$(URL copied)" --init >/dev/null
psql_ copied -c "TRUNCATE qingling.events" >/dev/null
start=$(now); psql_ copied -c "\\copy qingling.events FROM '$WORK/events.tsv'"; end=$(now)
COPYT=$(elapsed "$start" "$end")
echo "psql \\copy of the same rows into qingling.events (the server's limit): $COPYT s: $(python3 -c "print(f'{$ROWS/$COPYT:,.0f} events/s')")"
# 4. The same rows as multi-row INSERTs, into the same table emptied again.
python3 tools/province-bench/copy-to-inserts.py qingling.events "$ROWS_PER_INSERT" "$ROWS_PER_TRANSACTION" < "$WORK/events.tsv" > "$WORK/events.sql"
psql_ copied -c "TRUNCATE qingling.events" >/dev/null
start=$(now); psql_ copied -f "$WORK/events.sql"; end=$(now)
INSERTT=$(elapsed "$start" "$end")
INSERTED=$(psql_ copied -c "SELECT count(*) FROM qingling.events")
echo "multi-row INSERTs of the same rows into qingling.events ($ROWS_PER_INSERT rows a statement, $ROWS_PER_TRANSACTION a transaction, psql -f of $(stat -c %s "$WORK/events.sql") bytes of SQL): $INSERTT s: $(python3 -c "print(f'{$INSERTED/$INSERTT:,.0f} events/s, {$INSERTT/$COPYT:.1f} times the time of COPY')") ($INSERTED rows)"
rm -f "$WORK/events.sql"
"$QINGLING" export --log "$WORK/big" > "$WORK/events.jsonl"
psql_ copied -c "CREATE TABLE jsonl (event jsonb)" >/dev/null
JSONLBYTES=$(stat -c %s "$WORK/events.jsonl")
# CSV with a quote and a delimiter no JSON text holds: each line is one jsonb value, as is.
start=$(now); psql_ copied -c "\\copy jsonl FROM '$WORK/events.jsonl' WITH (FORMAT csv, QUOTE E'\\x01', DELIMITER E'\\x02')"; end=$(now)
JSONT=$(elapsed "$start" "$end")
echo "psql \\copy of the exported JSON Lines ($JSONLBYTES bytes) into a jsonb column: $JSONT s: $(python3 -c "print(f'{$ROWS/$JSONT:,.0f} events/s, {$JSONLBYTES/$JSONT/1e6:.1f} MB/s')")"
psql_ big -c "SELECT 'database size: ' || pg_size_pretty(pg_database_size(current_database())) || '; batches ' || pg_size_pretty(pg_total_relation_size('qingling.batches_430682_2024') + pg_total_relation_size('qingling.batches_430682_2025') + pg_total_relation_size('qingling.batches_430682_2026') + pg_total_relation_size('qingling.batches_430682_2023'))"

# 3. Restore against copying the directory.
start=$(now); "$QINGLING" restore --postgres "$(URL big)" --county 430682 --into "$WORK/restored" >/dev/null; end=$(now)
RESTORE=$(elapsed "$start" "$end")
sync; start=$(now); cp -r "$WORK/big" "$WORK/copied"; sync; end=$(now)
echo "restore: $RESTORE s; cp -r of the log directory: $(elapsed "$start" "$end") s; segments identical: $(cmp -s <(cat "$WORK"/big/segments/*.qlseg) <(cat "$WORK"/restored/segments/*.qlseg) && echo yes || echo NO)"
fi

# 2. N counties in one database.
if [ "$COUNTIES" -gt 0 ]; then
stats_total=0
for i in $(seq 1 "$COUNTIES"); do
    code=$(printf "4306%02d" "$i")
    sed -e "s/\"430682\"/\"$code\"/" -e "s/\"临湘市\"/\"县$i\"/" tools/reference/linxiang.json > "$WORK/ref-$code.json"
    "$QINGLING" generate --seed "$i" --hazards-per-year "$COUNTY_HAZARDS" --reference "$WORK/ref-$code.json" --into "$WORK/county-$code" >/dev/null
    start=$(now); "$QINGLING" ship --log "$WORK/county-$code" --postgres "$(URL counties)" --init --reference "$WORK/ref-$code.json" --county "$code" >/dev/null; end=$(now)
    SHIPC=$(elapsed "$start" "$end")
    start=$(now); "$QINGLING" stats 2025 --as-of 2099-12-31 --by both --format json --log "$WORK/county-$code" >/dev/null; end=$(now)
    STATSC=$(elapsed "$start" "$end")
    stats_total=$(python3 -c "print($stats_total + $STATSC)")
    SHIPPED=$(psql_ counties -c "SELECT count(*) FROM qingling.events WHERE county = '$code'")
    echo "  county $code: $SHIPPED events shipped in $SHIPC s ($(python3 -c "print(f'{$SHIPPED/$SHIPC:,.0f}')") events/s); qingling stats 2025: $STATSC s; $(date -u +%H:%M:%S)"
done
COUNTY_EVENTS=$(psql_ counties -c "SELECT count(*) FROM qingling.events")
psql_ counties -c "ANALYZE" >/dev/null
start=$(now); psql_ counties -c "SELECT count(*) FROM qingling.clearance_statistics('2025-01-01', '2025-12-31')" >/dev/null; end=$(now)
echo "$COUNTIES counties, $COUNTY_EVENTS events in one database: $(psql_ counties -c "SELECT pg_size_pretty(pg_database_size(current_database()))")"
echo "  qingling.clearance_statistics for 2025, every county: $(elapsed "$start" "$end") s; qingling stats 2025 of each county, one after another: $(python3 -c "print(f'{$stats_total:.2f}')") s in all"
fi
