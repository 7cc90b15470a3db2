#!/usr/bin/env python3
"""Checks a `hattama verify --report` report.json against the alterations made to the official file.

Every altered field must come out as a discrepancy (protocol accepted or confirmed, official differs), or as
"not yet decidable" when the protocol field is uncertain (counted and listed, not a failure); every left-out
precinct as no_reference, every extra official row as no_protocol. Nothing else may be a discrepancy, and a
discrepancy must show the protocol value the generator wrote (else an accepted field was misread). Prints
found / undecidable / missed / false counts; exits 1 on any miss or false flag.
"""
from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--report", required=True, help="report.json written by hattama verify --report")
    ap.add_argument("--alterations", required=True, help="alterations.json written by make_official_results.py")
    ap.add_argument("--truth", nargs="+", help="corpus folders (*.truth.json): check each discrepancy's protocol value")
    ap.add_argument("--verbose", action="store_true", help="list every finding that is not a plain match")
    a = ap.parse_args(argv)

    report = json.loads(Path(a.report).read_text(encoding="utf-8"))
    alt = json.loads(Path(a.alterations).read_text(encoding="utf-8"))
    truth = {}
    if a.truth:
        for p in (p for folder in a.truth for p in Path(folder).rglob("*.truth.json")):
            t = json.loads(p.read_text(encoding="utf-8"))
            truth[str(int(t["precinct"]))] = t["values"]

    rows = {r["precinct"]: r for r in report["precincts"]}
    altered = {(f["precinct"], f["key"]): f for f in alt["fields"]}
    altered_precincts = {p for p, _ in altered}
    missing, extra = set(alt["missing"]), set(alt["extra"])
    inconsistent = {str(p) for p in alt["inconsistent"]}

    found, undecidable, form_defect, unidentified, missed, false_flags, wrong_protocol = [], [], [], [], [], [], []
    for (precinct, key), f in sorted(altered.items()):
        row = rows.get(precinct)
        field = next((x for x in row["fields"] if x["key"] == key), None) if row else None
        cls = field["classification"] if field else None
        if cls == "discrepancy":
            found.append((precinct, key))
        elif cls == "undecidable":
            undecidable.append((precinct, key))
        elif cls == "form_defect":
            form_defect.append((precinct, key))
        elif row and row["classification"] == "no_protocol":
            unidentified.append((precinct, key))      # the protocol's precinct number was not read with certainty
        else:
            missed.append((precinct, key, row["classification"] if row else "absent", cls))

    gaps_found = {"missing": 0, "extra": 0}
    unidentified_protocols = []
    for precinct, row in sorted(rows.items(), key=lambda kv: (len(kv[0]), kv[0])):
        cls = row["classification"]
        if precinct in missing:
            if cls == "no_reference":
                gaps_found["missing"] += 1
            else:
                missed.append((precinct, "(left out of the official file)", cls, None))
            continue
        if precinct in extra:
            if cls == "no_protocol":
                gaps_found["extra"] += 1
            else:
                missed.append((precinct, "(official row with no protocol)", cls, None))
            continue
        if cls == "no_reference":
            false_flags.append((precinct, "no_reference: a protocol claims a precinct the official file lacks"))
        if cls == "no_protocol":
            unidentified_protocols.append(precinct)
        for field in row["fields"]:
            if field["classification"] != "discrepancy":
                continue
            if (precinct, field["key"]) not in altered:
                false_flags.append((precinct, f"{field['key']}: official {field['reference']['value']}, "
                                              f"protocol {field['protocol']['value']} ({field['protocol']['status']})"))
            elif truth and truth.get(precinct, {}).get(field["key"]) != field["protocol"]["value"]:
                wrong_protocol.append((precinct, field["key"], field["protocol"]["value"], truth[precinct][field["key"]]))
    for precinct in extra - rows.keys():
        missed.append((precinct, "(official row with no protocol)", "absent", None))
    unidentified_missing = sorted(missing - rows.keys())     # left out, and its protocol's number was not read

    s = report["summary"]
    classes = Counter(r["classification"] for r in report["precincts"])
    form_defects = {p for p, r in rows.items() if r["classification"] == "form_defect"}
    undecidable_precincts = {p for p, r in rows.items() if r["classification"] == "undecidable"}
    n_alt_precincts = len(altered_precincts)
    print(f"report: {s['compared']} precincts compared; {s['discrepancies']} discrepancies ({s['discrepant_fields']} fields), "
          f"{s['undecidable']} undecidable, {s['form_defects']} form defects, {s['no_protocol']} no protocol, "
          f"{s['no_reference']} no reference, {s['matches']} matches")
    print(f"alterations: {len(altered)} fields in {n_alt_precincts} precincts, {len(missing)} precincts left out, "
          f"{len(extra)} official rows with no protocol")
    print(f"  found as discrepancy      {len(found):4d} fields in {len({p for p, _ in found})} precincts")
    print(f"  not yet decidable         {len(undecidable):4d} fields (protocol field uncertain: review first)")
    print(f"  form defect               {len(form_defect):4d} fields (the protocol as read is inconsistent)")
    print(f"  protocol not identified   {len(unidentified):4d} fields (precinct number uncertain: no_protocol)")
    print(f"  coverage gaps found       {gaps_found['missing']}/{len(missing)} left out (no_reference), "
          f"{gaps_found['extra']}/{len(extra)} extra (no_protocol)"
          + (f", {len(unidentified_missing)} left out whose protocol has no certain precinct number" if unidentified_missing else ""))
    print(f"  missed                    {len(missed):4d}")
    print(f"false flags                 {len(false_flags):4d}")
    if truth:
        print(f"discrepancy with a misread protocol value {len(wrong_protocol)}")
    true_defects = len(form_defects & inconsistent)
    print(f"other findings: {len(undecidable_precincts)} undecidable precincts, {len(form_defects)} form defects "
          f"({true_defects} of the {len(inconsistent)} protocols written inconsistent), "
          f"{len(unidentified_protocols)} protocols with an uncertain precinct number")
    for m in missed:
        print(f"MISSED {m}", file=sys.stderr)
    for f in false_flags:
        print(f"FALSE  precinct {f[0]}: {f[1]}", file=sys.stderr)
    for w in wrong_protocol:
        print(f"MISREAD precinct {w[0]} {w[1]}: protocol value {w[2]}, written {w[3]}", file=sys.stderr)
    if a.verbose:
        for p, k in undecidable:
            print(f"  undecidable alteration: precinct {p} {k}")
        for p in sorted(undecidable_precincts, key=int):
            keys = [x["key"] for x in rows[p]["fields"] if x["classification"] == "undecidable"]
            print(f"  undecidable precinct {p}: {', '.join(keys)}")
        for p in sorted(form_defects, key=int):
            print(f"  form defect {p}: {'written inconsistent' if p in inconsistent else 'written consistent'}; "
                  f"failed {rows[p]['protocol']['failed_relations']}")
        print(f"  classes: {dict(classes)}")
    return 1 if missed or false_flags or wrong_protocol else 0


if __name__ == "__main__":
    sys.exit(main())
