"""Digit cells cut from generated protocol pages the way the pipeline cuts them, with their true class.

    .venv/bin/python tools/digits/pagecells.py CORPUS_DIR OUT.npz

CORPUS_DIR is written by tools/corpus/generate.py --handwritten (its truth.json files hold the page
corners in the image, so no registration is needed). For every field with printed digit boxes, each box
is resampled as HattamaPipeline's FieldReader does (PageWarp.warped of the box inset by 6%, 56 px per
box height, one bilinear sample per output pixel; colour by Leptonica's luminance 0.3/0.5/0.2) and
contrast stretched (1st and 90th percentile), and labelled with what the generator wrote into it: a
digit, its padding (0, dash, X) or blank; the boxes of a corrected field (a struck number) are `struck`.
Free-hand fields (no boxes) are skipped: the pipeline cuts those with InkSegmenter.

Which MNIST rows the corpus was drawn from is the caller's business: generate with --digits pointing at
training rows to train on the cells, at validation rows to calibrate or compare, at held-out rows only to
report.
"""

from __future__ import annotations

import glob
import json
import os
import sys

import numpy as np
import yaml
from PIL import Image

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
CLASSES = [str(d) for d in range(10)] + ["blank", "dash", "cross", "struck"]
CI = {c: i for i, c in enumerate(CLASSES)}
LEPTONICA_LUMA = np.array([0.3, 0.5, 0.2])


def gray(path):
    im = Image.open(path)
    if im.mode == "L":
        return np.asarray(im, dtype=np.float64)
    a = np.asarray(im.convert("RGB"), dtype=np.float64)
    return np.floor(a @ LEPTONICA_LUMA + 0.5)


def sample(img, xs, ys):
    """GrayImage.sample with edge clamping (bilinear)."""
    h, w = img.shape
    x0 = np.floor(xs).astype(int)
    y0 = np.floor(ys).astype(int)
    fx, fy = xs - x0, ys - y0

    def at(yy, xx):
        return img[np.clip(yy, 0, h - 1), np.clip(xx, 0, w - 1)]

    a, b = at(y0, x0), at(y0, x0 + 1)
    c, d = at(y0 + 1, x0), at(y0 + 1, x0 + 1)
    return (a * (1 - fx) + b * fx) * (1 - fy) + (c * (1 - fx) + d * fx) * fy


def warped(img, hm, rect, scale):
    """PageWarp.warped: rect (x, y, w, h) in template coordinates."""
    x, y, w, h = rect
    ow, oh = max(1, int(round(w * scale))), max(1, int(round(h * scale)))
    step = 1 / scale
    ry = y + (np.arange(oh) + 0.5) * step
    rx = x + (np.arange(ow) + 0.5) * step
    yy, xx = np.meshgrid(ry, rx, indexing="ij")
    den = hm[2, 0] * xx + hm[2, 1] * yy + hm[2, 2]
    px = (hm[0, 0] * xx + hm[0, 1] * yy + hm[0, 2]) / den
    py = (hm[1, 0] * xx + hm[1, 1] * yy + hm[1, 2]) / den
    v = sample(img, px - 0.5, py - 0.5)
    return np.clip(np.round(v), 0, 255).astype(np.uint8)  # Swift .rounded(): half away from zero, same for >= 0


def contrast_stretched(img):
    srt = np.sort(img.ravel())
    lo, hi = int(srt[int(img.size * 0.01)]), int(srt[min(img.size - 1, int(img.size * 0.9))])
    if hi - lo <= 30:
        return img
    v = (img.astype(np.float64) - lo) / (hi - lo) * 255
    return np.clip(np.where(v >= 0, np.floor(v + 0.5), np.ceil(v - 0.5)), 0, 255).astype(np.uint8)


# HattamaPipeline's FieldReader.boxInset: the classifier's crop of a box, this share of it inside the outline
# (eleventh session; 0.09 before, which cut off the foot of a 2 written large; page cells that v3-v5 were trained
# on were cut at 0.09)
BOX_INSET = 0.06


def inset(rect, f):
    x, y, w, h = rect
    return (x + w * f, y + h * f, w * (1 - 2 * f), h * (1 - 2 * f))


def cells_of(corpus_dir):
    sys.path.insert(0, os.path.join(ROOT, "tools", "corpus"))
    import generate  # noqa: E402

    forms, elections = {}, {}
    for p in glob.glob(os.path.join(ROOT, "seeds", "forms", "*.yaml")):
        f = yaml.safe_load(open(p))
        forms[f["id"]] = f
    for p in glob.glob(os.path.join(ROOT, "seeds", "elections", "*.yaml")):
        e = yaml.safe_load(open(p))
        elections[e["id"]] = e
    out_cells, out_labels, out_src = [], [], []
    for tp in sorted(glob.glob(os.path.join(corpus_dir, "*.truth.json"))):
        t = json.load(open(tp))
        form = forms[t["form"]]
        rows = generate.expand_fields(form, elections[t["election"]])
        pw, ph = form["page"]["width"], form["page"]["height"]
        hm = generate.homography([(0, 0), (pw, 0), (pw, ph), (0, ph)], t["render"]["page_corners"])
        img = None
        pad = t["render"].get("padding", "none")
        corrected = {c["key"]: c for c in t["render"].get("corrections", [])}
        for r in rows:
            c = r["cells"]
            v = t["values"].get(r["key"])
            if not c or v is None:
                continue
            n = c["count"]
            if r["key"] in corrected:
                wrong = str(corrected[r["key"]]["struck"])
                labels = ["blank"] * (n - len(wrong)) + ["struck"] * len(wrong)
            else:
                text = str(v)
                fill = {"zero": "0", "dash": "dash", "x": "cross"}.get(pad if r["kind"] == "count" else "none", "blank")
                labels = [fill] * (n - len(text)) + list(text)
            if img is None:
                img = gray(os.path.join(corpus_dir, t["image"]))
            scale = 56.0 / c["height"]
            for i in range(n):
                rect = (c["x"] + i * c["pitch"], c["y"], c["width"], c["height"])
                out_cells.append(contrast_stretched(warped(img, hm, inset(rect, BOX_INSET), scale)))
                out_labels.append(CI[labels[i]])
                out_src.append(f"{t['image']}:{r['key']}:{i}")
    return out_cells, np.array(out_labels, np.int64), out_src


def main():
    corpus_dir, out = sys.argv[1], sys.argv[2]
    cells, labels, src = cells_of(corpus_dir)
    arr = np.empty(len(cells), dtype=object)
    arr[:] = cells
    np.savez(out, cells=arr, labels=labels, source=np.array(src))
    print(f"{len(cells)} cells from {corpus_dir} -> {out}; per class:",
          {CLASSES[k]: int((labels == k).sum()) for k in range(len(CLASSES))})


if __name__ == "__main__":
    main()
