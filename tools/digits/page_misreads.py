"""Counts the boxes a model misreads among cells cut from generated pages by pagecells.py.

    tools/digits/.venv/bin/python tools/digits/page_misreads.py CELLS.npz MODEL.json [MODEL.json ...]

Each cell is read as DigitClassifier reads a printed box (the plain input, and the second looks of
variants.py below their gate), normalised with the box-line rule the model was trained with. Prints, per
model: digit cells read as another class, digit cells misread at p >= 0.99, and padding marks (blank,
dash, X, struck) read as a digit. These are the "boxes misread" figures of docs/digit-model.md.
"""

from __future__ import annotations

import argparse
import os
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import evaluate  # noqa: E402
import preprocess  # noqa: E402
import variants  # noqa: E402

DIGIT_CLASSES = 10


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("cells", help="npz written by pagecells.py (cells, labels)")
    ap.add_argument("model", nargs="+", help="model JSONs to compare on the same cells")
    args = ap.parse_args()
    data = np.load(args.cells, allow_pickle=True)
    cells, labels = list(data["cells"]), np.asarray(data["labels"])
    digits = labels < DIGIT_CLASSES
    normalised = {}
    for path in args.model:
        rule = evaluate.border_rule_of(path)
        if rule not in normalised:
            preprocess.BORDER_RULE = rule
            masks = [preprocess.ink_mask(c) for c in cells]
            normalised[rule] = (np.stack([preprocess.normalize_mask(m) for m in masks]).astype(np.float32), masks)
        x, masks = normalised[rule]
        net, temperature = evaluate.load_net(path)
        p = variants.batch_probabilities(net, temperature, x, masks)
        read = p.argmax(1)
        wrong = read != labels
        sure = p.max(1) >= 0.99
        print(f"{path}: {digits.sum()} digit boxes, {(wrong & digits).sum()} misread, "
              f"{(wrong & digits & sure).sum()} of them at p >= 0.99; {(~digits).sum()} marks, "
              f"{(~digits & (read < DIGIT_CLASSES)).sum()} read as a digit")


if __name__ == "__main__":
    main()
