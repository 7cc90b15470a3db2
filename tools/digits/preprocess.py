"""Cell normalisation shared by training and the Swift classifier.

This is the reference implementation. Sources/HattamaOCR/DigitClassifier/CellNormalizer.swift
must do exactly the same integer and Float64 operations in the same order; the golden test
(Tests/HattamaOCRTests/DigitClassifierGoldenTests.swift) checks that they agree.

Input: a cell crop, uint8 (H, W), 0 = black ink, 255 = white paper.
Output: 28x28 float32, ink = 1.0, paper = 0.0, plus the fraction of the cell covered by kept ink.

Steps
1. Smooth: b = 3x3 mean, window clipped at the border, integer sum // count (tames noise).
   Local paper level: grey max filter of b, radius r = max(2, min(H, W) // 6), window clipped at
   the image border. darkness d = paper - b (>= 0). Handles uneven light and grey paper.
2. dmax = max(d) over the interior (without the border bands of step 3, so a dark printed box
   does not hide faint pencil; the whole cell if the interior is empty). If dmax < 32 there is no ink. Ink mask: d >= max(24, (2 * dmax) // 5).
3. Printed box border remnants: in the top/bottom max(4, H // 8 + 1) rows clear every horizontal run
   of ink that reaches the left or right edge of the cell and covers at least 9/10 of its width; then the
   same for vertical runs in the left/right max(4, W // 8 + 1) columns. A box line that strays into the
   crop (which is cut 6% inside the box) crosses it whole. (v2: runs of half the cell, was a quarter,
   which wiped the top bar of a 7 or 5 written near the edge of its box. v5: half the cell and reaching
   an edge, or 4/5 of it. v6: both, at 9/10: a 2 or 7 written large reaches an edge of the crop with its
   foot or bar, and v5 still wiped it in 2s, 3s and 7s cut from generated pages; a 2 without its foot is
   a 7 to the network. BORDER_RULE = "v5" reproduces the v5 rule for comparing old models.)
4. 8-connected components. Drop a component when its area < max(2, H * W // 500), when its longest
   bounding-box side < max(2, min(H, W) // 8) (specks), or when its bounding box lies entirely
   inside the band max(2, dim // 6) along one edge (border remnants).
5. Bounding box of the kept ink; scale the binary mask so the longest side is 20 px (the other side
   floor(side * 20 / longest + 0.5), at least 1) by exact area averaging.
6. Paste into 28x28 so the centre of mass lands at (14, 14): offset floor(14 - c + 0.5) with c the
   centre of mass in patch coordinates (pixel centres at i + 0.5), clamped to keep the patch inside.
"""

from __future__ import annotations

import numpy as np
from scipy import ndimage

OUT = 28
BOX = 20
MIN_CONTRAST = 32
MIN_THRESHOLD = 24
# v2: border runs must be at least 1/BORDER_RUN_DIVISOR of the cell long to be cleared (v1: 4). Under the v6
# rule the 9/10 bound is the longer one, so this matters only for BORDER_RULE = "v5" (and the 3 px floor).
BORDER_RUN_DIVISOR = 2
# v6: which runs in the edge bands are box lines (step 3); "v5" for models trained before it
BORDER_RULE = "v6"


def is_box_line(start: int, stop: int, length: int, min_len: int) -> bool:
    """Whether the run [start, stop) of a band line `length` long is a printed box line (step 3)."""
    run = stop - start
    reaches_an_edge = start == 0 or stop == length
    if BORDER_RULE == "v5":
        return run >= min_len and (reaches_an_edge or 5 * run >= 4 * length)
    return run >= min_len and reaches_an_edge and 10 * run >= 9 * length


def box_mean3(img: np.ndarray) -> np.ndarray:
    """3x3 mean with the window clipped at the border, integer (sum // count)."""
    h, w = img.shape
    p = np.zeros((h + 2, w + 2), dtype=np.int32)
    q = np.zeros((h + 2, w + 2), dtype=np.int32)
    p[1:-1, 1:-1] = img
    q[1:-1, 1:-1] = 1
    s = np.zeros((h, w), dtype=np.int32)
    c = np.zeros((h, w), dtype=np.int32)
    for dy in range(3):
        for dx in range(3):
            s += p[dy:dy + h, dx:dx + w]
            c += q[dy:dy + h, dx:dx + w]
    return s // c


def paper_level(img: np.ndarray) -> np.ndarray:
    h, w = img.shape
    r = max(2, min(h, w) // 6)
    # mode="nearest" repeats edge pixels, which equals a max over the window clipped to the image.
    return ndimage.maximum_filter(img, size=2 * r + 1, mode="nearest")


def _clear_runs_rows(mask: np.ndarray, rows, min_len: int) -> None:
    w = mask.shape[1]
    for y in rows:
        row = mask[y]
        x = 0
        while x < w:
            if row[x]:
                s = x
                while x < w and row[x]:
                    x += 1
                if is_box_line(s, x, w, min_len):
                    row[s:x] = False
            else:
                x += 1


def ink_mask(img: np.ndarray) -> np.ndarray:
    """Cleaned boolean ink mask of a cell (steps 1-4)."""
    img = np.asarray(img, dtype=np.uint8)
    h, w = img.shape
    b = box_mean3(img)
    d = paper_level(b) - b
    bh = max(4, h // 8 + 1)
    bw = max(4, w // 8 + 1)
    inner = d[bh:h - bh, bw:w - bw] if (h > 2 * bh and w > 2 * bw) else d
    dmax = int(inner.max()) if inner.size else 0
    if dmax < MIN_CONTRAST:
        return np.zeros((h, w), dtype=bool)
    t = max(MIN_THRESHOLD, (2 * dmax) // 5)
    mask = d >= t

    band_rows = sorted(set(list(range(0, min(bh, h))) + list(range(max(0, h - bh), h))))
    _clear_runs_rows(mask, band_rows, max(3, w // BORDER_RUN_DIVISOR))
    band_cols = sorted(set(list(range(0, min(bw, w))) + list(range(max(0, w - bw), w))))
    mt = np.ascontiguousarray(mask.T)
    _clear_runs_rows(mt, band_cols, max(3, h // BORDER_RUN_DIVISOR))
    mask = np.ascontiguousarray(mt.T)

    labels, n = ndimage.label(mask, structure=np.ones((3, 3), dtype=int))
    if n == 0:
        return mask
    min_area = max(2, h * w // 500)
    min_side = max(2, min(h, w) // 8)
    eh = max(2, h // 6)
    ew = max(2, w // 6)
    keep = np.zeros(n + 1, dtype=bool)
    areas = np.bincount(labels.ravel(), minlength=n + 1)
    for i, sl in enumerate(ndimage.find_objects(labels), start=1):
        y0, y1 = sl[0].start, sl[0].stop - 1
        x0, x1 = sl[1].start, sl[1].stop - 1
        if areas[i] < min_area:
            continue
        if max(y1 - y0 + 1, x1 - x0 + 1) < min_side:
            continue
        if y1 < eh or y0 >= h - eh or x1 < ew or x0 >= w - ew:
            continue
        keep[i] = True
    return keep[labels]


def _area_weights(src: int, dst: int) -> np.ndarray:
    """(dst, src) matrix: fraction of destination pixel j covered by source pixel i."""
    scale = src / dst
    wts = np.zeros((dst, src), dtype=np.float64)
    for j in range(dst):
        a = j * scale
        b = (j + 1) * scale
        i0 = int(np.floor(a))
        i1 = min(src - 1, int(np.ceil(b)) - 1)
        for i in range(i0, i1 + 1):
            ov = min(b, i + 1.0) - max(a, float(i))
            if ov > 0:
                wts[j, i] = ov / scale
    return wts


CENTRE_TIE = 1e-9  # added before rounding the offset that centres the ink (CellNormalizer.centreTie)


def normalize_mask(mask: np.ndarray) -> np.ndarray:
    """Steps 5-6: 28x28 float32 from a boolean ink mask."""
    out = np.zeros((OUT, OUT), dtype=np.float32)
    ys, xs = np.nonzero(mask)
    if len(ys) == 0:
        return out
    y0, y1, x0, x1 = ys.min(), ys.max(), xs.min(), xs.max()
    h = int(y1 - y0 + 1)
    w = int(x1 - x0 + 1)
    longest = max(h, w)
    nw = max(1, min(BOX, int(np.floor(float(w) * 20.0 / float(longest) + 0.5))))
    nh = max(1, min(BOX, int(np.floor(float(h) * 20.0 / float(longest) + 0.5))))
    m = mask[y0:y1 + 1, x0:x1 + 1].astype(np.float64)
    patch = _area_weights(h, nh) @ m @ _area_weights(w, nw).T
    total = patch.sum()
    cy = float((patch.sum(axis=1) * (np.arange(nh) + 0.5)).sum() / total)
    cx = float((patch.sum(axis=0) * (np.arange(nw) + 0.5)).sum() / total)
    # CENTRE_TIE settles a centre halfway between two pixels the same way here and in Swift, whose sums are
    # ordered otherwise (6.999999999999999 here, 7.0 there, on a golden cell).
    oy = min(max(int(np.floor(14.0 - cy + 0.5 + CENTRE_TIE)), 0), OUT - nh)
    ox = min(max(int(np.floor(14.0 - cx + 0.5 + CENTRE_TIE)), 0), OUT - nw)
    out[oy:oy + nh, ox:ox + nw] = patch.astype(np.float32)
    return out


def normalize(img: np.ndarray) -> tuple[np.ndarray, float]:
    """28x28 float32 network input and the ink fraction of the cell."""
    mask = ink_mask(img)
    frac = float(mask.sum()) / float(mask.size) if mask.size else 0.0
    return normalize_mask(mask), frac
