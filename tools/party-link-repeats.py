#!/usr/bin/env python3
"""How many of the projections' party links repeat a hazard the party already has.

Reads an exported log (`qingling export`, JSON Lines) and links parties to hazards with the
fold's rules (`ProjectionState.fold`): a report, a lifecycle event and each hazard of an
escalation or a penalty link the actor and the actor's organisation; a supervision also links
its lead department, principal, actual controller, department officer and town officer; an
escalation also links its target. A hazard linked to the same party twice in a row is kept
once, as the fold does. Prints the links, the distinct (party, hazard) pairs, what dropping a
hazard already among a party's last k hazards would keep, and the share of the links that
belong to the 500 busiest parties (docs/performance.md, eighth round).

    python3 tools/party-link-repeats.py /tmp/qingling-compare/events-1M.jsonl
"""
import collections
import json
import sys

WINDOWS = (2, 4, 8, 16)


def links(path):
    """Yields (party, hazard) for every link the fold makes, repeats in a row included."""
    reported = set()
    with open(path, encoding="utf-8") as lines:
        for line in lines:
            event = json.loads(line)
            kind, data = event["type"], event.get("data", {})
            if kind == "HazardReported":
                reported.add(data["hazardId"])
            hazards = data.get("hazardIds") or ([data["hazardId"]] if "hazardId" in data else [])
            actor = event["actor"]
            for hazard in (h for h in hazards if h in reported):
                parties = []
                if kind == "HazardSupervised":
                    parties.append("O:" + data["leadDepartment"]["id"])
                    for role in ("enterprisePrincipal", "actualController", "departmentOfficer", "townOfficer"):
                        if role in data["responsible"]:
                            parties.append("P:" + data["responsible"][role]["id"])
                if kind == "EscalationIssued":
                    parties.append("O:" + data["target"]["id"])
                parties += ["P:" + actor["person"]["id"], "O:" + actor["organization"]["id"]]
                for party in parties:
                    yield party, hazard


def main(path):
    newest, per_party, pairs = {}, collections.Counter(), set()
    windows = {k: collections.defaultdict(collections.deque) for k in WINDOWS}
    kept = collections.Counter()
    for party, hazard in links(path):
        if newest.get(party) == hazard:
            continue  # a repeat in a row: the fold keeps one
        newest[party] = hazard
        per_party[party] += 1
        pairs.add((party, hazard))
        for k, recent in windows.items():
            seen = recent[party]
            if hazard in seen:
                continue
            kept[k] += 1
            seen.append(hazard)
            if len(seen) > k:
                seen.popleft()
    total = sum(per_party.values())
    busiest = sum(count for _, count in per_party.most_common(500))
    print(f"links (repeats in a row dropped): {total}")
    print(f"distinct (party, hazard) pairs:   {len(pairs)} ({1 - len(pairs) / total:.0%} fewer)")
    for k in WINDOWS:
        print(f"dropping a hazard among the party's last {k:2}: {kept[k]} ({1 - kept[k] / total:.0%} fewer)")
    print(f"links of the 500 busiest parties: {busiest / total:.0%} of {len(per_party)} parties' links")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(sys.argv[1])
