#!/usr/bin/env python3
"""Turns COPY text rows (the output of `COPY table TO`) into multi-row INSERT statements.

    python3 copy-to-inserts.py TABLE ROWS_PER_INSERT ROWS_PER_TRANSACTION < rows.tsv > inserts.sql

Each INSERT carries ROWS_PER_INSERT rows in the table's column order; every ROWS_PER_TRANSACTION
rows (a multiple of ROWS_PER_INSERT) are one transaction. Values are written as E'...' strings
(COPY's text escapes are E-string escapes, except \\v, written \\x0b) and NULL for \\N; the server
casts each to its column's type, as COPY does.
"""
import re
import sys

table, per_insert, per_transaction = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
if per_insert <= 0 or per_transaction < per_insert or per_transaction % per_insert:
    sys.exit("copy-to-inserts.py: ROWS_PER_TRANSACTION must be a positive multiple of ROWS_PER_INSERT")
ESCAPE = re.compile(r"\\(.)")


def literal(field):
    if field == r"\N":
        return "NULL"
    if r"\v" in field:
        field = ESCAPE.sub(lambda m: r"\x0b" if m.group(1) == "v" else m.group(0), field)
    return "E'" + field.replace("'", "''") + "'"


out = sys.stdout
rows = 0
for line in sys.stdin:
    if rows % per_transaction == 0:
        out.write("BEGIN;\n")
    out.write(f"INSERT INTO {table} VALUES\n(" if rows % per_insert == 0 else ",\n(")
    out.write(",".join(literal(f) for f in line.rstrip("\n").split("\t")))
    out.write(")")
    rows += 1
    if rows % per_insert == 0:
        out.write(";\n")
    if rows % per_transaction == 0:
        out.write("COMMIT;\n")
if rows % per_insert:
    out.write(";\n")
if rows % per_transaction:
    out.write("COMMIT;\n")
