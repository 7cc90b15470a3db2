#!/usr/bin/env python3
"""Measures the printed geometry of a Honduras 2025 acta de cierre scan by pixel analysis.

The value boxes are printed in light yellow, so their edges are runs of "yellowness" ((R+G)/2 - B > 25)
in row and column profiles; the registration marks are the solid dark blobs (grey < 100) at the top
corners, whose centres are the ink centroids as Hattama's MarkDetector measures them. The grey level
used is Leptonica's luminance (0.3 R + 0.5 G + 0.2 B), i.e. what `hattama` sees.

    python3 tools/realimages/measure_hn.py ../shared/realimages/hn_2025_pres_acta_cierre_jrv18108.png

prints the marks (ink centroids, pixel-centre convention), the x (pixel index) of every vertical yellow line (digit column: outer frame and dotted dividers;
words column) and the y of every horizontal yellow line in the digit column. The template
seeds/forms/hn-2025-presidential-acta-cierre.yaml was written from this output for JRV 18108 (cell
interiors start 1.5 px inside each line centre).
"""
import sys

import numpy as np
from PIL import Image
from scipy import ndimage


def runs(profile, threshold):
    out, start = [], None
    for i, v in enumerate(profile):
        if v > threshold and start is None:
            start = i
        if v <= threshold and start is not None:
            out.append((start, i - 1))
            start = None
    if start is not None:
        out.append((start, len(profile) - 1))
    return out


def main(path):
    rgba = np.asarray(Image.open(path).convert("RGBA")).astype(float)
    alpha = rgba[..., 3:4] / 255
    rgb = rgba[..., :3] * alpha + 255 * (1 - alpha)
    grey = 0.3 * rgb[..., 0] + 0.5 * rgb[..., 1] + 0.2 * rgb[..., 2]
    yellow = (rgb[..., 0] + rgb[..., 1]) / 2 - rgb[..., 2]
    height, width = grey.shape
    print(f"{path}: {width}x{height}")

    labels, _ = ndimage.label(grey < 100)
    for index, sl in enumerate(ndimage.find_objects(labels)):
        h, w = sl[0].stop - sl[0].start, sl[1].stop - sl[1].start
        count = (labels[sl] == index + 1).sum()
        if w >= 12 and h >= 12 and count / (w * h) > 0.6 and w / h < 1.5 and h / w < 1.5:
            y0, x0 = max(0, sl[0].start - 1), max(0, sl[1].start - 1)
            box = grey[y0:sl[0].stop + 1, x0:sl[1].stop + 1]
            ys, xs = np.nonzero(box < (box.min() + box.max()) / 2)
            print(f"mark: centre ({xs.mean() + x0 + 0.5:.1f}, {ys.mean() + y0 + 0.5:.1f}) size {w}x{h} solidity {count / (w * h):.2f}")

    band = yellow[int(height * 0.2):int(height * 0.7)]
    columns = runs((band > 25).mean(0), 0.3)
    print("vertical yellow lines (x):", [round((a + b) / 2, 1) for a, b in columns])
    digit_left = columns[0][1] + 2
    rows = runs((yellow[:, digit_left:digit_left + 100] > 25).mean(1), 0.5)
    print("horizontal yellow lines in the digit column (y runs):", rows)


if __name__ == "__main__":
    for argument in sys.argv[1:]:
        main(argument)
