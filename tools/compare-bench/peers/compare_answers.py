#!/usr/bin/env python3
"""Checks that a peer's clearance statistics equal Qingling's, figure by figure.

    compare_answers.py stats QINGLING.json PEER.json PEER-NAME
    compare_answers.py overdue QINGLING.json PEER.json PEER-NAME
    compare_answers.py ranking QINGLING.json PEER.json PEER-NAME
    compare_answers.py targets QINGLING.json PEER.json PEER-NAME

stats: QINGLING.json is the output of `qingling stats PERIOD --by both --format json`, PEER.json
a peer's answer in the same shape (rows of region, industry and figures; total); every figure
of every row and of the total is compared (the rates to 1e-12), the rows matched by region and
industry. overdue: QINGLING.json is `qingling overdue --format json`, PEER.json the lists of
duckdb_peer.py overdue; every hazard of each of the four lists is compared by its status, the
date it counts from, its days and (overdue) the level due. ranking: `qingling ranking QUARTER
--format json` against duckdb_peer.py ranking (see `ranking` below). targets: `qingling targets
--format json` against duckdb_peer.py targets (see `targets` below). Exit status 0 and one line
when equal; 1 and the differences when not.
"""
import collections
import json
import sys

from clearance_sql import FIGURES

KEYS = FIGURES + ("onTimeRate", "stockClearedRate")


def same(a, b):
    if a is None or b is None:
        return a is None and b is None
    return abs(a - b) <= 1e-12


# Each list of `qingling overdue --format json`: its key for the date the days count from and
# for the days.
OVERDUE_LISTS = {"overdue": ("deadline", "daysOverdue"), "unsupervised": ("reportedOn", "days"),
                 "awaitingVerification": ("rectifiedOn", "days"), "dueSoon": ("deadline", "daysLeft")}


def overdue(qingling, other, peer):
    differences = []
    counted = 0
    for name, (since, days) in OVERDUE_LISTS.items():
        ours = {r["hazardId"]: (r["status"], r[since], r[days], r.get("levelDue")) for r in qingling.get(name, [])}
        theirs = {r["hazardId"]: (r["status"], r["since"], r["days"], r["levelDue"]) for r in other[name]}
        counted += len(ours)
        for hazard in sorted(set(ours) | set(theirs)):
            if ours.get(hazard) != theirs.get(hazard):
                differences.append(f"{name}, {hazard}: Qingling {ours.get(hazard)}, {peer} {theirs.get(hazard)}")
    return differences, f"{counted} hazards in the four lists"


def ranking(qingling, other, peer):
    """Each region's figures equal (a region with no hazard has zeros), the ranks in the order
    of the peer's figures (overdue fewer first, on-time rate higher first with none last,
    closures more first; ties are broken by region code, not the peer's), and each listed
    department's penalties in the quarter equal."""
    differences = []
    zero = {"overdueAtEnd": 0, "closed": 0, "new": 0, "openAtEnd": 0, "onTimeRate": None}
    keys = []
    for r in qingling["regions"]:
        theirs = other["regions"].get(r["region"], zero)
        for key in zero:
            if not same(r[key], theirs[key]):
                differences.append(f"region {r['region']}, {key}: Qingling {r[key]}, {peer} {theirs[key]}")
        rate = theirs["onTimeRate"]
        keys.append((theirs["overdueAtEnd"], 0 if rate is not None else 1, -(rate or 0), -theirs["closed"]))
    if keys != sorted(keys):
        differences.append(f"the ranks are not in the order of the figures: {keys}")
    for d in qingling["departments"]:
        if d["penalties"] != other["penalties"].get(d["department"], 0):
            differences.append(f"department {d['department']}: Qingling {d['penalties']} penalties, {peer} {other['penalties'].get(d['department'], 0)}")
    return differences, f"{len(qingling['regions'])} regions ranked, {len(qingling['departments'])} departments"


# Each check's figures as `qingling targets --format json` gives them (top-level keys), and the
# peer's keys for the same figures, in order.
TARGET_FIGURES = {
    "stockCleared": (("stockCheckedOn", "stockStillOpen"), ("on", "open")),
    "newContained": (("newIn2024", "newIn2025"), ("in2024", "in2025")),
    "dynamicZero": (("monthEndsChecked", "overdueHazardMonthEnds"), ("checked", "overdue")),
}
BREACH_KEYS = ("target", "on", "hazardId", "status", "deadline")


def targets(qingling, other, peer):
    """The date, each check's verdict and figures equal, and the breaches
    (target, on, hazard, status, deadline) equal as a multiset; Qingling's count of each check's
    breaches is that of its rows."""
    differences = []
    if qingling["asOf"] != other["asOf"]:
        differences.append(f"asOf: Qingling {qingling['asOf']}, {peer} {other['asOf']}")
    ours_rows = collections.Counter(tuple(b[k] for k in BREACH_KEYS) for b in qingling["breaches"])
    checks = {c["target"]: c for c in qingling["targets"]}
    for name, (our_keys, keys) in TARGET_FIGURES.items():
        theirs = other["checks"][name]
        ours = checks.get(name)
        if ours is None:
            differences.append(f"{name}: not in Qingling's answer")
            continue
        for our_key, key in zip(our_keys, keys):
            if qingling.get(our_key) != theirs[key]:
                differences.append(f"{name}, {key}: Qingling {qingling.get(our_key)!r}, {peer} {theirs[key]!r}")
        if ours["verdict"] != theirs["verdict"]:
            differences.append(f"{name}, verdict: Qingling {ours['verdict']}, {peer} {theirs['verdict']}")
        rows = sum(n for row, n in ours_rows.items() if row[0] == name)
        if ours["breaches"] != rows:
            differences.append(f"{name}: Qingling counts {ours['breaches']} breaches and lists {rows}")
    theirs_rows = collections.Counter(tuple(b[k] for k in BREACH_KEYS) for b in other["breaches"])
    for row in sorted((ours_rows - theirs_rows).elements(), key=str):
        differences.append(f"breach only in Qingling's: {row}")
    for row in sorted((theirs_rows - ours_rows).elements(), key=str):
        differences.append(f"breach only in {peer}'s: {row}")
    return differences, (f"{len(checks)} checks, {sum(ours_rows.values())} breaches: "
                         + "; ".join(c["measure"] for c in qingling["targets"]))


def stats(qingling, other, peer):
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
    return differences, f"{len(ours)} groups, {len(KEYS)} figures each, and the total"


def main(kind, qingling_path, peer_path, peer):
    with open(qingling_path, encoding="utf-8") as f:
        qingling = json.load(f)
    with open(peer_path, encoding="utf-8") as f:
        other = json.load(f)
    differences, what = {"stats": stats, "overdue": overdue, "ranking": ranking, "targets": targets}[kind](qingling, other, peer)
    if differences:
        print(f"compare_answers: {peer}'s {kind} DIFFER from Qingling's "
              f"({len(differences)} differences):", file=sys.stderr)
        for line in differences[:40]:
            print("  " + line, file=sys.stderr)
        sys.exit(1)
    print(f"{peer}: {kind} equal to Qingling's ({what})")


if __name__ == "__main__":
    if len(sys.argv) != 5 or sys.argv[1] not in ("stats", "overdue", "ranking", "targets"):
        sys.exit(__doc__)
    main(*sys.argv[1:])
