#!/usr/bin/env python3
"""Why equations stay open: the equations of a corpus's consistent forms that still hold a field not accepted.

Joins `hattama digitize DIR --format jsonl` records with the corpus's truth files and counts, for every
equation (a relation with ==) of a consistent form that has an unaccepted field, how many of its fields the
digit classifier misread (first reading not the truth). Equations with exactly one misread field are listed
with that field, and split by whether the misread has the right digit count and whether the true value is
among the record's alternatives. Such an equation keeps every other field of it from being confirmed.
Each group is also counted by the arithmetic's verdict on the equation (the relation's `arithmetic` in the
record: settled, or the rule that held it open).

    .build/release/hattama digitize corpus/hw300 --format jsonl > /tmp/hw300.jsonl
    python3 tools/corpus/open_equations.py /tmp/hw300.jsonl [--form wall] [--list]
"""
import argparse
import collections
import json
import os


def classifier_reading(field):
    for reading in field["readings"]:
        if reading["reader"] == "digit_classifier":
            return reading.get("value"), reading["confidence"]
    return None, 0.0


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("records", help="JSON Lines from hattama digitize")
    ap.add_argument("--form", default="", help="only forms whose id contains this")
    ap.add_argument("--list", action="store_true", help="print each equation with one misread field")
    a = ap.parse_args()

    open_by_misreads = collections.Counter()
    one_misread = collections.Counter()
    fields_blocked = 0
    held_open_unmisread = 0
    verdicts = collections.defaultdict(collections.Counter)
    for line in open(a.records):
        record = json.loads(line)
        truth_path = os.path.splitext(record["source"]["path"])[0] + ".truth.json"
        truth = json.load(open(truth_path))
        if a.form not in truth["form"] or not truth["consistent"]:
            continue
        values = truth["values"]
        fields = {field["key"]: field for field in record["fields"]}
        for relation in record["relations"]:
            if "==" not in relation["expression"]:
                continue
            keys = relation["keys"]
            if all(fields[key]["status"] == "accepted" for key in keys):
                continue
            misread = [key for key in keys if str(classifier_reading(fields[key])[0]) != str(values[key])]
            open_by_misreads[len(misread)] += 1
            group = {0: "no misread field", 1: "one misread field"}.get(len(misread), "more misread fields")
            verdict = (relation.get("arithmetic") or "not read by the arithmetic").split(":")[0]
            verdicts[group][verdict] += 1
            if not misread:
                held_open_unmisread += sum(1 for key in keys if fields[key]["status"] != "accepted")
            if len(misread) != 1:
                continue
            key = misread[0]
            read, confidence = classifier_reading(fields[key])
            true = str(values[key])
            alternatives = [str(alt["value"]) for alt in fields[key].get("alternatives", [])]
            count = "right digit count" if len(str(read)) == len(true) else "wrong digit count"
            place = "truth among alternatives" if true in alternatives else "truth not among alternatives"
            one_misread[(count, place)] += 1
            fields_blocked += sum(1 for other in keys if other != key and fields[other]["status"] != "accepted")
            if a.list:
                print(f"{os.path.basename(record['source']['path'])}  {relation['id']}  {key}: "
                      f"truth {true}, read {read} at {confidence:.2f}, alternatives {alternatives[:4]}, "
                      f"reasons {fields[key]['reasons'][:3]}")
    print("open equations of consistent forms, by misread fields:")
    for misreads, n in sorted(open_by_misreads.items()):
        print(f"  {misreads} misread: {n}")
    print("with one misread field:")
    for (count, place), n in sorted(one_misread.items()):
        print(f"  {count}, {place}: {n}")
    print(f"  right fields held open beside them: {fields_blocked}")
    print(f"fields held open in equations with no misread field: {held_open_unmisread}")
    print("(a field in two open equations counts twice)")
    print("verdicts of the arithmetic on them (settled: held open afterwards by a failing relation):")
    for group in ("no misread field", "one misread field", "more misread fields"):
        counts = ", ".join(f"{verdict} {n}" for verdict, n in verdicts[group].most_common())
        print(f"  {group}: {counts}")


if __name__ == "__main__":
    main()
