"""Reading a cell three ways: the reference for DigitClassifier's second looks (ReadingVariants.swift).

A cell the network is not sure of (calibrated top probability below GATE on the plain input) is read
again twice: the same 28x28 input turned by ROTATION_DEGREES about its centre, and the cell's ink mask
grown by one pixel (4-neighbour dilation) and normalised again. The three logit vectors are averaged and
calibrated with the model's temperature; that is the geometric mean of the three calibrated readings.

Why: the three looks disagree where a reading rests on one pixel's worth of stroke (a 2 whose foot was
thinned away, a 1 whose serif became the bar of a 7); averaging them cut the network's misread digits
on the boxed cells of two generated corpora (held-out digits, seeds 21 and 26) from 150 and 145 to 133
and 130, and its misreads at p >= 0.99 from 11 and 12 to 5 and 6, at no loss of such readings. The
choice of the two looks among nine tried (shifts, both rotations, zooms, the bold mask) is in
docs/digit-model.md ("Second looks").

Swift must do the same Float64 arithmetic: the golden cells (train.py --fixtures-only) hold these
probabilities.
"""

from __future__ import annotations

import numpy as np
from scipy import ndimage

import preprocess
from model import softmax

GATE = 0.999
ROTATION_DEGREES = 8.0


def rotated(x: np.ndarray, degrees: float) -> np.ndarray:
    """28x28 input turned about its centre: out(p) = x(c + R(-degrees)(p - c)), bilinear, 0 outside."""
    n = x.shape[0]
    c = (n - 1) / 2
    a = np.deg2rad(degrees)
    ca, sa = np.cos(a), np.sin(a)
    yy, xx = np.mgrid[0:n, 0:n].astype(np.float64)
    dy, dx = yy - c, xx - c
    sy = c + ca * dy - sa * dx
    sx = c + sa * dy + ca * dx
    y0, x0 = np.floor(sy).astype(int), np.floor(sx).astype(int)
    fy, fx = sy - y0, sx - x0
    xd = x.astype(np.float64)

    def at(yi, xi):
        inside = (yi >= 0) & (yi < n) & (xi >= 0) & (xi < n)
        return np.where(inside, xd[np.clip(yi, 0, n - 1), np.clip(xi, 0, n - 1)], 0.0)

    v = (at(y0, x0) * (1 - fx) + at(y0, x0 + 1) * fx) * (1 - fy) \
        + (at(y0 + 1, x0) * (1 - fx) + at(y0 + 1, x0 + 1) * fx) * fy
    return v.astype(np.float32)


def bold(mask: np.ndarray) -> np.ndarray:
    """The network input of the ink mask grown by one pixel to each 4-neighbour."""
    return preprocess.normalize_mask(ndimage.binary_dilation(mask))


def probabilities(net, temperature: float, cell: np.ndarray) -> tuple[np.ndarray, np.ndarray, float]:
    """Calibrated class probabilities of one cell as DigitClassifier.classify gives them with second
    looks, with the plain network input and the ink fraction."""
    mask = preprocess.ink_mask(cell)
    frac = float(mask.sum()) / float(mask.size) if mask.size else 0.0
    x = preprocess.normalize_mask(mask)
    return batch_probabilities(net, temperature, x[None], [mask])[0], x, frac


def batch_probabilities(net, temperature: float, x: np.ndarray, masks) -> np.ndarray:
    """Calibrated class probabilities of many cells, given their plain network inputs and ink masks: the
    plain reading, and for a cell below GATE the mean of its three looks' logits."""
    logits = net.forward(x).astype(np.float64)
    p = softmax(logits / temperature)
    unsure = np.nonzero(p.max(1) < GATE)[0]
    if len(unsure):
        turned = np.stack([rotated(x[i], ROTATION_DEGREES) for i in unsure])
        grown = np.stack([bold(masks[i]) for i in unsure])
        mean = (logits[unsure] + net.forward(turned).astype(np.float64) + net.forward(grown).astype(np.float64)) / 3
        p[unsure] = softmax(mean / temperature)
    return p
