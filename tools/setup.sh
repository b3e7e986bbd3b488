#!/usr/bin/env bash
# Installs what Qingling needs on a Debian machine that already has Swift:
#   liblz4-dev + pkg-config  (the LZ4 library the log compresses with, found via pkg-config)
#   libsqlite3-dev           (SQLite, for the accounts database through GRDB)
#   lz4                      (the stock lz4 tool: tests check payloads decompress with it)
#   sqlite3, time            (tools/compare-bench: the SQLite peer, GNU time for peak memory)
#   wrk                      (tools/service-bench/wrk.sh: HTTP load on the service)
#   postgresql               (Debian's PostgreSQL 15: the tests of `qingling ship`/`restore` start
#                             a cluster of their own with its initdb/pg_ctl; tools/province-bench)
#   openssl                  (the test cluster's TLS certificate)
#   python3 + jsonschema     (test helpers: a second lock holder; JSON Schema validation)
#   python3 cryptography     (the independent proof checker the tests run)
#   python3 duckdb           (tools/compare-bench's DuckDB peer)
#   chromium, chromium-driver, fonts-noto-cjk + python3 selenium
#                            (Tests/browser: the web pages in a real headless browser)
# Installs only what is missing; uses sudo when not run as root.
set -euo pipefail

missing=()
for package in liblz4-dev libsqlite3-dev pkg-config lz4 python3 sqlite3 time wrk chromium chromium-driver fonts-noto-cjk postgresql openssl; do
    dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
done
if ((${#missing[@]})); then
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    echo "installing: ${missing[*]}" >&2
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# Ed25519 for the independent proof checker (tools/archive/verify_proof.py) the tests run.
if ! python3 -c "import cryptography" >/dev/null 2>&1; then
    echo "installing: python cryptography" >&2
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq python3-cryptography >/dev/null 2>&1 \
        || python3 -m pip install --quiet cryptography 2>/dev/null \
        || python3 -m pip install --quiet --break-system-packages cryptography
fi

# The JSON Schema validator used by the tests (draft 2020-12, with `referencing`).
if ! python3 -c "import jsonschema, referencing" >/dev/null 2>&1; then
    echo "installing: python jsonschema" >&2
    python3 -m pip install --quiet jsonschema 2>/dev/null \
        || python3 -m pip install --quiet --break-system-packages jsonschema
fi

# DuckDB, the analysts' alternative tools/compare-bench/run.sh measures Qingling against.
if ! python3 -c "import duckdb" >/dev/null 2>&1; then
    echo "installing: python duckdb" >&2
    python3 -m pip install --quiet duckdb 2>/dev/null \
        || python3 -m pip install --quiet --break-system-packages duckdb
fi

# Selenium, which drives Debian's chromium through its chromedriver (Tests/browser).
if ! python3 -c "import selenium" >/dev/null 2>&1; then
    echo "installing: python selenium" >&2
    python3 -m pip install --quiet selenium 2>/dev/null \
        || python3 -m pip install --quiet --break-system-packages selenium
fi
