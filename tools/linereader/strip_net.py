#!/usr/bin/env python3
"""The strip reader: a small convolutional network read out by CTC over a field's strip of handwritten digits.

It reads the strip Tesseract reads (written by `hattama digitize --dump-strips`, labelled by `line_reader.py
label`): the inked boxes' glyphs side by side, or for a free-hand cell (the A4 form) that strip cut to its ink
(`free_hand_strip`). Trained here with JAX; the Swift
pipeline runs the exported weights itself (HattamaOCR's StripNetwork), so the preprocessing below is the
contract between the two and is written out step by step in both.

Subcommands:
  dataset STRIPS... OUT.npz        the labelled strips, free-hand ones cut to their ink
  train TRAIN.npz --val VAL.npz --out MODEL.json [--init MODEL.json]
  read MODEL.json STRIPS OUT.json  what the model reads on every strip of a folder (text, per-character p)
  golden MODEL.json STRIPS OUT.json  strips and their readings for the Swift reader's parity test

Setup: python3 -m venv tools/linereader/.venv && tools/linereader/.venv/bin/pip install -r tools/linereader/requirements.txt
"""
from __future__ import annotations

import argparse
import base64
import glob
import json
import os
import sys
import time

import numpy as np

HEIGHT = 32                     # every strip is scaled to this height
CHARSET = "0123456789-x"        # class 0 is CTC's blank, then these
WIDTH_STEP = 4                  # widths are padded to a multiple of the network's horizontal reduction
MAX_WIDTH = 256


def preprocess(gray: np.ndarray) -> np.ndarray:
    """A strip (uint8, paper light) as the network's input: ink 0..1, HEIGHT rows.

    1. ink = (255 - gray) / 255;
    2. scaled to HEIGHT rows, width round(w * HEIGHT / h), each output pixel the mean of the input pixels
       [floor(oy*h/H), max(that+1, floor((oy+1)*h/H))) x the same in x with the output width;
    3. stretched: paper (the median) to 0, the darkest pixel to 1, clipped;
    4. padded with 0 on the right to a multiple of WIDTH_STEP (at least 2 * WIDTH_STEP), cut at MAX_WIDTH.
    """
    h, w = gray.shape
    ink = (255.0 - gray.astype(np.float32)) / 255.0
    out_w = max(1, int(round(w * HEIGHT / h)))
    rows = []
    for oy in range(HEIGHT):
        y0 = (oy * h) // HEIGHT
        y1 = max(y0 + 1, ((oy + 1) * h) // HEIGHT)
        rows.append(ink[y0:y1].mean(axis=0))
    tall = np.stack(rows)                       # HEIGHT x w
    cols = []
    for ox in range(out_w):
        x0 = (ox * w) // out_w
        x1 = max(x0 + 1, ((ox + 1) * w) // out_w)
        cols.append(tall[:, x0:x1].mean(axis=1))
    scaled = np.stack(cols, axis=1)             # HEIGHT x out_w
    flat = np.sort(scaled.ravel())
    paper = flat[(len(flat) - 1) // 2]
    dark = flat[-1]
    if dark - paper > 1e-3:
        scaled = np.clip((scaled - paper) / (dark - paper), 0.0, 1.0)
    else:
        scaled = np.zeros_like(scaled)
    padded_w = min(MAX_WIDTH, max(2 * WIDTH_STEP, -(-out_w // WIDTH_STEP) * WIDTH_STEP))
    out = np.zeros((HEIGHT, padded_w), np.float32)
    out[:, : min(out_w, padded_w)] = scaled[:, :padded_w]
    return out


def load_gray(path):
    from PIL import Image

    return np.asarray(Image.open(path).convert("L"))


def boxed(path):
    """Whether a strip is of printed digit boxes; the A4 form's cells are free-hand."""
    return "-a4-" not in os.path.basename(path)


def free_hand_strip(gray):
    """A free-hand cell's strip as the line reader reads it (FieldReader.lineStrip): the strip Tesseract reads
    cut to its ink (pixels under 128) with 2 pixels around, on white with 16 pixels around. A whole cell's
    crop, mostly paper, shrinks its digits to a few rows of the network's input; cut to the ink they look like
    the boxed strips'. None when there is no ink."""
    ys, xs = np.nonzero(gray < 128)
    if len(ys) == 0:
        return None
    h, w = gray.shape
    y0, y1 = max(0, ys.min() - 2), min(h, ys.max() + 3)
    x0, x1 = max(0, xs.min() - 2), min(w, xs.max() + 3)
    cut = gray[y0:y1, x0:x1]
    out = np.full((cut.shape[0] + 32, cut.shape[1] + 32), 255, np.uint8)
    out[16:-16, 16:-16] = cut
    return out


def load_strip(path):
    """A dumped strip as the reader reads it."""
    gray = load_gray(path)
    return gray if boxed(path) else free_hand_strip(gray)


def page_number(name):
    """The page's number in its corpus: ru-2024-president-uik-0063.jpg-p1.KEY.png -> 63."""
    stem = name.split(".")[0]
    return int(stem.rsplit("-", 1)[1])


def dataset(args):
    sets = {False: ([], [], []), True: ([], [], [])}
    for folder in args.strips:
        for gt in sorted(glob.glob(os.path.join(folder, "*.gt.txt"))):
            png = gt[: -len(".gt.txt")] + ".png"
            if not os.path.exists(png) or (args.boxed_only and not boxed(png)):
                continue
            text = open(gt).read().strip()
            if not text or any(c not in CHARSET for c in text):
                continue
            strip = load_strip(png)
            if strip is None:
                continue
            held = args.val_every > 0 and page_number(os.path.basename(png)) % args.val_every == 0
            images, labels, names = sets[held]
            images.append(strip)
            labels.append(text)
            names.append(os.path.basename(png))
    for held, out in ((False, args.out), (True, args.val_out)):
        images, labels, names = sets[held]
        if out is None:
            continue
        raw = np.empty(len(images), dtype=object)
        raw[:] = images
        np.savez_compressed(out, raw=raw, labels=np.array(labels), names=np.array(names))
        free = sum(not boxed(n) for n in names)
        print(f"{out}: {len(images)} strips, {free} of them free-hand")


# ---------------------------------------------------------------- the network

# (name, kernel h, kernel w, in, out, pad h, pad w, relu, pool after (h, w) or None)
def layers(width=1.0):
    c = lambda n: max(4, int(round(n * width)))
    return [
        ("c1", 3, 3, 1, c(16), 1, 1, True, (2, 2)),
        ("c2", 3, 3, c(16), c(32), 1, 1, True, (2, 2)),
        ("c3", 3, 3, c(32), c(64), 1, 1, True, (2, 1)),
        ("c4", 4, 3, c(64), c(128), 0, 1, True, None),     # collapses the 4 remaining rows
        ("c5", 1, 5, c(128), c(128), 0, 2, True, None),    # context along the strip
        ("out", 1, 1, c(128), len(CHARSET) + 1, 0, 0, False, None),
    ]


def init_params(spec, seed):
    import jax

    key = jax.random.PRNGKey(seed)
    params = {}
    for name, kh, kw, ci, co, *_ in spec:
        key, sub = jax.random.split(key)
        fan_in = kh * kw * ci
        params[name] = {"w": jax.random.normal(sub, (kh, kw, ci, co)) * np.sqrt(2.0 / fan_in),
                        "b": np.zeros((co,), np.float32)}
    return params


def forward(params, x, spec, train=False, rng=None):
    """x: N x HEIGHT x W x 1 -> N x W/4 x classes (logits)."""
    import jax
    import jax.numpy as jnp

    for name, kh, kw, ci, co, ph, pw, relu, pool in spec:
        x = jax.lax.conv_general_dilated(x, params[name]["w"], (1, 1), ((ph, ph), (pw, pw)),
                                         dimension_numbers=("NHWC", "HWIO", "NHWC")) + params[name]["b"]
        if relu:
            x = jax.nn.relu(x)
        if pool:
            x = jax.lax.reduce_window(x, -jnp.inf, jax.lax.max, (1, pool[0], pool[1], 1), (1, pool[0], pool[1], 1), "VALID")
        if train and name == "c5" and rng is not None:
            keep = jax.random.bernoulli(rng, 0.75, x.shape)
            x = jnp.where(keep, x / 0.75, 0)
    return x[:, 0]


def encode(text):
    return [CHARSET.index(c) + 1 for c in text]


def decode(logits_row, valid):
    """Greedy CTC: the best class per column, repeats merged, blanks dropped; each character's probability is
    the highest probability of its class over the columns it spans."""
    z = logits_row[:valid]
    p = np.exp(z - z.max(axis=1, keepdims=True))
    p /= p.sum(axis=1, keepdims=True)
    best = p.argmax(axis=1)
    text, probs, prev = "", [], 0
    for t, k in enumerate(best):
        if k != 0 and k != prev:
            text += CHARSET[k - 1]
            probs.append(float(p[t, k]))
        elif k != 0 and k == prev:
            probs[-1] = max(probs[-1], float(p[t, k]))
        prev = k
    return text, probs


# ---------------------------------------------------------------- augmentation and batches

def augment(gray, rng):
    """A training variant of a raw strip: stretched or squeezed, shifted, blurred or noisier, fainter."""
    from PIL import Image, ImageFilter

    im = Image.fromarray(gray)
    w, h = im.size
    sx = rng.uniform(0.8, 1.2)
    sy = rng.uniform(0.9, 1.1)
    im = im.resize((max(8, int(w * sx)), max(8, int(h * sy))), Image.BILINEAR)
    shear = rng.uniform(-0.15, 0.15)
    w, h = im.size
    im = im.transform((w + int(abs(shear) * h), h), Image.AFFINE,
                      (1, shear, -abs(shear) * h if shear > 0 else 0, 0, 1, 0), resample=Image.BILINEAR, fillcolor=255)
    a = np.asarray(im).astype(np.float32)
    # margins: cut or add up to a few pixels at each side
    top, bottom = rng.integers(-4, 5), rng.integers(-4, 5)
    left, right = rng.integers(-6, 10), rng.integers(-6, 10)
    pad = lambda n: max(0, n)
    a = np.pad(a, ((pad(top), pad(bottom)), (pad(left), pad(right))), constant_values=float(np.median(a)))
    a = a[max(0, -top): a.shape[0] - max(0, -bottom), max(0, -left): a.shape[1] - max(0, -right)]
    if rng.random() < 0.3:
        a = np.asarray(Image.fromarray(a.astype(np.uint8)).filter(ImageFilter.GaussianBlur(rng.uniform(0.3, 1.2)))).astype(np.float32)
    if rng.random() < 0.3:          # fainter ink
        paper = np.median(a)
        a = paper - (paper - a) * rng.uniform(0.4, 0.9)
    if rng.random() < 0.4:
        a = a + rng.normal(0, rng.uniform(2, 12), a.shape)
    return np.clip(a, 0, 255).astype(np.uint8)


def batches(raw, labels, idx, batch, rng, train):
    order = np.array(idx)
    if train:
        rng.shuffle(order)
    for i in range(0, len(order), batch):
        chunk = order[i: i + batch]
        xs = [preprocess(augment(raw[j], rng) if train else raw[j]) for j in chunk]
        width = max(x.shape[1] for x in xs)
        width = -(-width // 32) * 32             # few distinct shapes: fewer compilations
        x = np.zeros((len(xs), HEIGHT, width, 1), np.float32)
        for n, xi in enumerate(xs):
            x[n, :, : xi.shape[1], 0] = xi
        frames = np.array([x_.shape[1] // WIDTH_STEP for x_ in xs])
        lab = [encode(labels[j]) for j in chunk]
        lmax = 8
        y = np.zeros((len(xs), lmax), np.int32)
        ypad = np.ones((len(xs), lmax), np.float32)
        for n, l in enumerate(lab):
            l = l[:lmax]
            y[n, : len(l)] = l
            ypad[n, : len(l)] = 0
        yield x, frames, y, ypad, chunk


def train(args):
    import jax
    import jax.numpy as jnp
    import optax

    raw, labels = [], []
    for path in args.data:
        data = np.load(path, allow_pickle=True)
        raw += list(data["raw"])
        labels += [str(s) for s in data["labels"]]
    vraw, vlabels = [], []
    for path in args.val:
        val = np.load(path, allow_pickle=True)
        vraw += list(val["raw"])
        vlabels += [str(s) for s in val["labels"]]
    if args.init:
        spec, params = load_model(args.init)
        params = jax.tree_util.tree_map(jnp.asarray, params)
    else:
        spec = layers(args.width)
        params = init_params(spec, args.seed)
    steps_per_epoch = -(-len(raw) // args.batch)
    schedule = optax.cosine_decay_schedule(args.learning_rate, args.epochs * steps_per_epoch, alpha=0.02)
    opt = optax.adamw(schedule, weight_decay=1e-5)
    state = opt.init(params)

    def loss_fn(p, x, frames, y, ypad, key):
        logits = forward(p, x, spec, train=True, rng=key)
        t = logits.shape[1]
        lpad = (jnp.arange(t)[None, :] >= frames[:, None]).astype(jnp.float32)
        return optax.ctc_loss(logits, lpad, y, ypad, blank_id=0).mean()

    @jax.jit
    def step(p, s, x, frames, y, ypad, key):
        loss, g = jax.value_and_grad(loss_fn)(p, x, frames, y, ypad, key)
        upd, s = opt.update(g, s, p)
        return optax.apply_updates(p, upd), s, loss

    infer = jax.jit(lambda p, x: forward(p, x, spec))
    rng = np.random.default_rng(args.seed)
    key = jax.random.PRNGKey(args.seed + 1)
    best = -1.0
    for epoch in range(args.epochs):
        t0, losses = time.time(), []
        for x, frames, y, ypad, _ in batches(raw, labels, range(len(raw)), args.batch, rng, True):
            key, sub = jax.random.split(key)
            params, state, loss = step(params, state, x, frames, y, ypad, sub)
            losses.append(float(loss))
        right = 0
        for x, frames, _, _, chunk in batches(vraw, vlabels, range(len(vraw)), 256, rng, False):
            out = np.asarray(infer(params, x))
            for n, j in enumerate(chunk):
                right += decode(out[n], frames[n])[0] == vlabels[j]
        acc = right / len(vraw)
        print(f"epoch {epoch + 1}: loss {np.mean(losses):.4f}, validation strips exact {acc:.4f}, {time.time() - t0:.0f} s", flush=True)
        if acc > best:          # written at once: a long run can be stopped and its best model used
            best = acc
            export(jax.tree_util.tree_map(np.asarray, params), spec, args.out,
                   {"validation_exact": acc, "epoch": epoch + 1, "epochs": args.epochs, "train_strips": len(raw),
                    "init": os.path.basename(args.init) if args.init else None})
    print(f"{args.out}: best validation exact {best:.4f}")


def export(params, spec, path, meta):
    def b64(a):
        return base64.b64encode(np.ascontiguousarray(a, dtype="<f4").tobytes()).decode()

    out = {"format": "hattama-strip-ctc", "formatVersion": 1, "height": HEIGHT, "widthStep": WIDTH_STEP,
           "maxWidth": MAX_WIDTH, "charset": CHARSET, "meta": meta, "layers": []}
    for name, kh, kw, ci, co, ph, pw, relu, pool in spec:
        out["layers"].append({"name": name, "kernelHeight": kh, "kernelWidth": kw, "inChannels": ci,
                              "outChannels": co, "padHeight": ph, "padWidth": pw, "relu": relu,
                              "poolHeight": pool[0] if pool else 1, "poolWidth": pool[1] if pool else 1,
                              "weight": b64(params[name]["w"]), "bias": b64(params[name]["b"])})
    with open(path, "w") as f:
        json.dump(out, f)


def load_model(path):
    m = json.load(open(path))
    spec, params = [], {}
    for l in m["layers"]:
        pool = (l["poolHeight"], l["poolWidth"]) if (l["poolHeight"], l["poolWidth"]) != (1, 1) else None
        spec.append((l["name"], l["kernelHeight"], l["kernelWidth"], l["inChannels"], l["outChannels"],
                     l["padHeight"], l["padWidth"], l["relu"], pool))
        w = np.frombuffer(base64.b64decode(l["weight"]), "<f4").reshape(l["kernelHeight"], l["kernelWidth"], l["inChannels"], l["outChannels"])
        b = np.frombuffer(base64.b64decode(l["bias"]), "<f4")
        params[l["name"]] = {"w": w, "b": b}
    return spec, params


def read(args):
    import jax

    spec, params = load_model(args.model)
    infer = jax.jit(lambda p, x: forward(p, x, spec))
    out = {}
    for png in sorted(glob.glob(os.path.join(args.strips, "*.png"))):
        strip = load_strip(png)
        if strip is None:
            continue
        x = preprocess(strip)
        logits = np.asarray(infer(params, x[None, :, :, None]))[0]
        text, probs = decode(logits, x.shape[1] // WIDTH_STEP)
        out[os.path.basename(png)] = {"read": text, "probabilities": probs}
    json.dump(out, open(args.out, "w"))
    labelled = [(k, v) for k, v in out.items() if os.path.exists(os.path.join(args.strips, k[:-4] + ".gt.txt"))]
    right = sum(v["read"] == open(os.path.join(args.strips, k[:-4] + ".gt.txt")).read().strip() for k, v in labelled)
    print(f"{args.out}: {len(out)} strips read; {right} of {len(labelled)} labelled ones exactly")


def golden(args):
    """Strips, the model's reading of each and the preprocessed input's sum, for the Swift reader's parity test
    (Tests/HattamaOCRTests/Fixtures/strips/golden.json)."""
    import hashlib
    import random

    import jax

    spec, params = load_model(args.model)
    labelled = [p for p in sorted(glob.glob(os.path.join(args.strips, "*.png")))
                if os.path.exists(p[: -len(".png")] + ".gt.txt")]
    random.Random(args.seed).shuffle(labelled)
    # Free-hand strips are stored cut to their ink, as the reader is given them (`free_hand_strip`).
    pngs = [p for p in labelled if boxed(p)][: args.count] + [p for p in labelled if not boxed(p)][: args.free_hand_count]
    cases = []
    for png in pngs:
        gray = load_strip(png)
        x = preprocess(gray)
        logits = np.asarray(jax.jit(lambda p, x: forward(p, x, spec))(params, x[None, :, :, None]))[0]
        text, probs = decode(logits, x.shape[1] // WIDTH_STEP)
        cases.append({"name": os.path.basename(png), "truth": open(png[: -len(".png")] + ".gt.txt").read().strip(),
                      "width": int(gray.shape[1]), "height": int(gray.shape[0]),
                      "pixels": base64.b64encode(gray.tobytes()).decode(), "inputWidth": int(x.shape[1]),
                      "inputSum": float(x.sum()), "read": text, "probabilities": probs})
    digest = hashlib.sha256(open(args.model, "rb").read()).hexdigest()
    json.dump({"model": "sha256:" + digest, "cases": cases}, open(args.out, "w"), indent=0)
    print(f"{args.out}: {len(cases)} strips, {sum(c['read'] == c['truth'] for c in cases)} read exactly")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = ap.add_subparsers(dest="command", required=True)
    p = sub.add_parser("dataset")
    p.add_argument("strips", nargs="+")
    p.add_argument("out")
    p.add_argument("--val-out", help="where the strips of every VAL_EVERY-th page go instead")
    p.add_argument("--val-every", type=int, default=0)
    p.add_argument("--boxed-only", action="store_true", help="leave out the A4 form's free-hand strips")
    p.set_defaults(run=dataset)
    p = sub.add_parser("train")
    p.add_argument("data", nargs="+")
    p.add_argument("--val", required=True, nargs="+")
    p.add_argument("--init", help="start from this model's weights (fine-tuning) instead of random ones")
    p.add_argument("--out", required=True)
    p.add_argument("--epochs", type=int, default=20)
    p.add_argument("--batch", type=int, default=32)
    p.add_argument("--learning-rate", type=float, default=2e-3)
    p.add_argument("--width", type=float, default=1.0)
    p.add_argument("--seed", type=int, default=1)
    p.set_defaults(run=train)
    p = sub.add_parser("read")
    p.add_argument("model")
    p.add_argument("strips")
    p.add_argument("out")
    p.set_defaults(run=read)
    p = sub.add_parser("golden")
    p.add_argument("model")
    p.add_argument("strips")
    p.add_argument("out")
    p.add_argument("--count", type=int, default=16, help="strips of boxed forms")
    p.add_argument("--free-hand-count", type=int, default=8, help="strips of free-hand cells")
    p.add_argument("--seed", type=int, default=7)
    p.set_defaults(run=golden)
    args = ap.parse_args()
    args.run(args)


if __name__ == "__main__":
    main()
