"""Evaluate a saved model JSON on the held-out test sets, without retraining.

    tools/digits/.venv/bin/python tools/digits/evaluate.py MODEL.json [--border-divisor 4]
    tools/digits/.venv/bin/python tools/digits/evaluate.py A.json B.json ...   # each model, then the ensemble

Renders the held-out sets exactly as train.py does (stream 3: raw + 3 rendered cells per held-out
digit; stream 4: 2 boxed cells per held-out digit, as the corpus generator writes them; stream 5, v3:
2 pipeline cells per held-out digit, as the pipeline crops them from a generated page) and prints the
accept curve per set. Each cell is read as DigitClassifier reads it: the plain input, and for a cell read
below variants.GATE the second looks of variants.py (--plain: the plain input only, as before the tenth
session). --border-divisor 4 reproduces the v1 normalisation (border runs >= a quarter of
the cell cleared) for comparing the v1 model on the same cells.

Given several models, each is reported on the same cells, then the ENSEMBLE: the average of the
members' calibrated probability vectors, mean_i softmax(logits_i / T_i), followed by markdown table
rows (accuracy, coverage and errors at p >= 0.9 / 0.99 / 0.999) for every model and the ensemble.
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import preprocess  # noqa: E402
import synth  # noqa: E402
import train  # noqa: E402
import variants  # noqa: E402
from model import CNN, softmax  # noqa: E402


def load_net(path):
    doc = json.load(open(path))
    by_name = {layer["name"]: layer for layer in doc["layers"]}
    net = CNN(np.random.default_rng(0), c1=by_name["conv1"]["outChannels"], c2=by_name["conv2"]["outChannels"],
              hidden=by_name["fc1"]["outFeatures"], k=by_name["conv1"]["kernel"])
    for layer in doc["layers"]:
        if "weight" in layer:
            n = layer["name"]
            for part, key in (("weight", "w"), ("bias", "b")):
                a = np.frombuffer(base64.b64decode(layer[part]), dtype="<f4")
                net.p[f"{n}.{key}"][...] = a.reshape(net.p[f"{n}.{key}"].shape)
    return net, float(doc["temperature"])


def border_rule_of(path):
    """The preprocess.BORDER_RULE a model was trained with: "v5" up to v5, "v6" after."""
    return "v5" if "-v5)" in json.load(open(path)).get("preprocessing", "") else "v6"


def heldout_sets(cache, with_masks=False):
    """The held-out test cells (raw, rendered, boxed, pipeline) normalised as the network sees them, their
    labels and their kinds (SETS), rendered once and cached at CACHE (and CACHE-pipeline.npz); with
    `with_masks`, also each cell's ink mask (for variants.batch_probabilities)."""
    X, y = train.load_mnist()
    held = [i for i in range(len(y)) if train.HELD_ROWS(i)]
    hw, pr = synth.font_paths()
    te, yte = train.build_specs(held, y, hw, pr, 3, 3, 0, 0, 0)
    tb, ytb = train.build_specs(held, y, hw, pr, 4, 0, 0, 0, 0, with_raw=False, box_mnist=2)
    # v3: held-out digits as the pipeline crops them (synth.pipeline_cell, stream 5), cached separately so
    # that a cache written before v3 still holds the v1/v2 sets unchanged
    tp, ytp = train.build_specs(held, y, hw, pr, 5, 0, 0, 0, 0, with_raw=False, pipe_mnist=2)
    # v9: held-out digits in boxes a few dozen pixels high (synth.pipeline_cell small, stream 11), cached apart
    ts, yts = train.small_specs(held, y, 0, train.SMALL_HELD_STREAM, 2, 0, 0)
    specs = te + tb + tp + ts
    labels = np.concatenate([yte, ytb, ytp, yts])
    train._init_worker(X, hw, pr)

    def cached(path, sp):
        if os.path.exists(path):
            return list(np.load(path, allow_pickle=True)["cells"])
        cs = [train.make_cell(s) for s in sp]
        arr = np.empty(len(cs), dtype=object)
        arr[:] = cs
        np.savez(path, cells=arr)
        return cs

    cells = (cached(cache, te + tb) + cached(os.path.splitext(cache)[0] + "-pipeline.npz", tp)
             + cached(os.path.splitext(cache)[0] + "-small.npz", ts))
    masks = [preprocess.ink_mask(c) for c in cells]
    x = np.stack([preprocess.normalize_mask(m) for m in masks]).astype(np.float32)
    kinds = np.array([s[0] for s in specs])
    return (x, labels, kinds, masks) if with_masks else (x, labels, kinds)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("model", nargs="+", help="one or more model JSONs; with more than one, also the ensemble")
    ap.add_argument("--border-divisor", type=int, default=preprocess.BORDER_RUN_DIVISOR)
    ap.add_argument("--cells", default="/tmp/hattama-digits-testcells.npz", help="cache of the rendered cells")
    ap.add_argument("--plain", action="store_true",
                    help="the plain input only, without the second looks at unsure cells (variants.py)")
    args = ap.parse_args()
    preprocess.BORDER_RUN_DIVISOR = args.border_divisor
    stem = os.path.splitext(args.cells)[0]
    probs, names = [], []
    by_rule = {}
    for path in args.model:
        # each model sees the cells normalised with the box-line rule it was trained with
        rule = border_rule_of(path)
        if rule not in by_rule:
            preprocess.BORDER_RULE = rule
            by_rule[rule] = heldout_sets(args.cells, with_masks=True)
        x, labels, kinds, masks = by_rule[rule]
        net, t = load_net(path)
        if len(args.model) > 1:
            print(f"== {path} (T = {t:.3f})")
        p = softmax(train.predict_logits(net, x) / t) if args.plain else variants.batch_probabilities(net, t, x, masks)
        out = report(p, labels, kinds)
        json.dump(out, open(stem + f"-{os.path.basename(path)}-d{args.border_divisor}{'-plain' if args.plain else ''}.json", "w"), indent=1)
        probs.append(p)
        names.append(os.path.splitext(os.path.basename(path))[0])
    if len(args.model) == 1:
        return
    # ensemble: average of the members' calibrated probabilities (each with its own temperature)
    print(f"== ensemble ({' + '.join(names)}): mean of softmax(logits_i / T_i)")
    pe = np.mean(probs, axis=0)
    out = report(pe, labels, kinds)
    json.dump(out, open(stem + f"-ensemble-{'+'.join(names)}-d{args.border_divisor}.json", "w"), indent=1)
    print("\n| set | model | n | accuracy | p>=0.9: coverage / errors | p>=0.99: coverage / errors | "
          "p>=0.999: coverage / errors |")
    print("|---|---|---|---|---|---|---|")
    for name, k in SETS:
        for j, (m, p) in enumerate(list(zip(names, probs)) + [("ensemble", pe)]):
            c = train.accept_curve(p[kinds == k], labels[kinds == k])
            cells = []
            for th in (0.9, 0.99, 0.999):
                a = c[f">={th}"]
                e = f"{a['wrong']} of {a['accepted']}" + (f" ({100 * a['error_rate']:.2f}%)" if a["wrong"] else "")
                cells.append(f"{100 * a['coverage']:.1f}% / {e}")
            print(f"| {name if j == 0 else ''} | {m} | {c['n']} | {100 * c['accuracy']:.1f}% | " + " | ".join(cells) + " |")


SETS = (("heldout_mnist_raw", "mnist_raw"), ("heldout_mnist_rendered", "mnist"),
        ("heldout_mnist_boxed", "box_mnist"), ("heldout_mnist_pipeline", "pipe_mnist"),
        ("heldout_mnist_small_boxes", "small_mnist"))


def report(p, labels, kinds):
    out = {}
    for name, k in SETS:
        out[name] = train.accept_curve(p[kinds == k], labels[kinds == k])
        c = out[name]
        print(f"{name:24s} n={c['n']:5d} acc={c['accuracy']:.4f} " + " ".join(
            f"p>={th}: {c[f'>={th}']['coverage']:.3f} cov, {c[f'>={th}']['wrong']}/{c[f'>={th}']['accepted']} wrong"
            for th in (0.9, 0.99, 0.999)))
    for name, k in (("boxed", "box_mnist"), ("pipeline", "pipe_mnist")):
        bx = kinds == k
        conf = np.zeros((10, 14), int)
        for a, b in zip(labels[bx], p[bx].argmax(1)):
            conf[a, b] += 1
        print(f"{name} confusion (rows true 0-9, cols pred 0-9,blank,dash,cross,struck):")
        print(conf)
    wrong_hi = [(int(labels[i]), train.CLASSES[int(p[i].argmax())], round(float(p[i].max()), 4))
                for i in np.nonzero((p.argmax(1) != labels) & (p.max(1) >= 0.99))[0]]
    print("wrong with p >= 0.99 (true, read, p):", wrong_hi)
    return out


if __name__ == "__main__":
    main()
