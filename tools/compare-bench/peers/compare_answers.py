#!/usr/bin/env python3
"""Checks that a peer's clearance statistics equal Qingling's, figure by figure.

    compare_answers.py QINGLING.json PEER.json PEER-NAME

QINGLING.json: the output of `qingling stats PERIOD --by both --format json`; PEER.json: a
peer's answer in the same shape (rows of region, industry and figures; total). Every figure of
every row and of the total is compared (the rates to 1e-12); the rows are matched by region
and industry. Exit status 0 and one line when equal; 1 and every difference when not.
"""
import json
import sys

from clearance_sql import FIGURES

KEYS = FIGURES + ("onTimeRate", "stockClearedRate")


def same(a, b):
    if a is None or b is None:
        return a is None and b is None
    return abs(a - b) <= 1e-12


def main(qingling_path, peer_path, peer):
    with open(qingling_path, encoding="utf-8") as f:
        qingling = json.load(f)
    with open(peer_path, encoding="utf-8") as f:
        other = json.load(f)
    ours = {(r["region"], r["industry"]): r for r in qingling["rows"]}
    theirs = {(r["region"], r["industry"]): r for r in other["rows"]}
    differences = []
    for group in sorted(set(ours) | set(theirs)):
        if group not in ours or group not in theirs:
            differences.append(f"group {group}: only in {'Qingling' if group in ours else peer}")
            continue
        for key in KEYS:
            if not same(ours[group][key], theirs[group][key]):
                differences.append(f"group {group}, {key}: Qingling {ours[group][key]}, {peer} {theirs[group][key]}")
    for key in KEYS:
        if not same(qingling["total"][key], other["total"][key]):
            differences.append(f"total, {key}: Qingling {qingling['total'][key]}, {peer} {other['total'][key]}")
    if differences:
        print(f"compare_answers: {peer}'s clearance statistics DIFFER from Qingling's "
              f"({len(differences)} differences):", file=sys.stderr)
        for line in differences[:40]:
            print("  " + line, file=sys.stderr)
        sys.exit(1)
    print(f"{peer}: equal to Qingling's ({len(ours)} groups, {len(KEYS)} figures each, and the total)")


if __name__ == "__main__":
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    main(*sys.argv[1:])
