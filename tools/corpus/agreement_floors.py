#!/usr/bin/env python3
"""How many fields a lower pair of floors would accept, and how many of them wrong.

Reads the records `hattama bench accuracy --corpus DIR --records FILE` writes (each record's source image has its
<name>.truth.json beside it) and looks at the fields left waiting with `needs_relation_support` alone, whose digit
classifier and handwriting line reader read the same value: the fields no equation checks that the classifier's
floor of 0.99 keeps from being accepted. For each pair of floors (the classifier's weakest digit, the line reader's
weakest character) it prints how many of them the pair would accept, right / wrong against the truth.

    python3 tools/corpus/agreement_floors.py /tmp/records-hw300 /tmp/records-s26 [--boxed-only]

docs/accuracy.md, "Nineteenth session", has the table this printed for seven corpora.
"""
import argparse
import json
import os
import sys

CLASSIFIER_FLOORS = [0.95, 0.96, 0.97, 0.98]
LINE_FLOORS = [0.99, 0.995, 0.998, 0.999, 0.9999]


def waiting_agreements(paths, boxed_only):
    """(classifier confidence, line confidence, right) of every waiting field both readers agree on."""
    rows = []
    for path in paths:
        with open(path) as lines:
            for line in lines:
                record = json.loads(line)
                truth_path = os.path.splitext(record["source"]["path"])[0] + ".truth.json"
                try:
                    with open(truth_path) as f:
                        truth = json.load(f)["values"]
                except OSError as error:
                    print(f"{truth_path}: {error.strerror}; skipping its record", file=sys.stderr)
                    continue
                free_hand_form = record["form"]["id"].endswith("-a4")
                for field in record["fields"]:
                    if field["status"] == "accepted" or field["reasons"] != ["needs_relation_support"]:
                        continue
                    if boxed_only and free_hand_form:
                        continue
                    readers = {r["reader"]: r for r in field["readings"]}
                    classifier, line_reader = readers.get("digit_classifier"), readers.get("line_reader")
                    if not classifier or not line_reader or str(classifier.get("value")) != str(line_reader.get("value")):
                        continue
                    right = str(classifier.get("value")) == str(truth.get(field["key"]))
                    rows.append((classifier["confidence"], line_reader["confidence"], right))
    return rows


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("records", nargs="+", help="JSON Lines files from bench accuracy --records")
    parser.add_argument("--boxed-only", action="store_true",
                        help="leave out the A4 form, whose cells are free-hand")
    args = parser.parse_args()
    rows = waiting_agreements(args.records, args.boxed_only)
    print("classifier >= | " + " | ".join(f"line >= {f}" for f in LINE_FLOORS))
    for cf in CLASSIFIER_FLOORS:
        cells = []
        for lf in LINE_FLOORS:
            taken = [right for c, l, right in rows if c >= cf and l >= lf]
            cells.append(f"{sum(taken)} right / {len(taken) - sum(taken)} wrong")
        print(f"{cf} | " + " | ".join(cells))


if __name__ == "__main__":
    main()
