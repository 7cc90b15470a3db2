#!/usr/bin/env python3
"""Measures the Argentina 2017 certificado photo for seeds/forms/ar-2017-paso-certificado-escrutinio.yaml.

The phone photo has a clear keystone (the table's top line drops 1.8 degrees, its bottom line rises 0.5),
so the template's reference frame is the photo *rectified* by the homography that maps the four corners of
the results table's outer ruled frame onto an upright rectangle (TABLE below), keeping the 720x1280 page.
This script fits the four frame lines on the photo, prints their corners, writes the rectified image
(--out, for measuring; never into the repository) and prints the ruled lines found on it as dark-row and
dark-column profile minima.

    /work/main/.venv/bin/python tools/realimages/rectify_ar.py --out /tmp/ar_rect.png
"""
import argparse
import os
import numpy as np
from PIL import Image
from scipy.signal import find_peaks

HERE = os.path.dirname(os.path.abspath(__file__))
IMAGE = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(HERE))), "shared", "realimages",
                     "ar_2017_paso_ba_certificado_malvinas_argentinas_c399_m65_hoja2.jpg")
# The table frame in the template (reference) frame: x, y, width, height.
TABLE = (40.0, 287.0, 662.0, 528.0)


def fit(im, horizontal, start, stop, guess, slope, band=6):
    """Least-squares line through the darkest pixel per column (row) near the guessed line."""
    along, across = [], []
    for t in range(start, stop):
        c = guess + slope * (t - start)
        lo = int(c - band)
        profile = im[lo:int(c + band) + 1, t] if horizontal else im[t, lo:int(c + band) + 1]
        i = int(np.argmin(profile))
        if profile[i] < 130:
            along.append(t)
            across.append(lo + i)
    a, b = np.array(along, float), np.array(across, float)
    for _ in range(3):
        k, m = np.polyfit(a, b, 1)
        keep = np.abs(b - (m + k * a)) < 2
        a, b = a[keep], b[keep]
    return m, k  # across = m + k * along


def homography(src, dst):
    rows, rhs = [], []
    for (x, y), (u, v) in zip(src, dst):
        rows.append([x, y, 1, 0, 0, 0, -u * x, -u * y]); rhs.append(u)
        rows.append([0, 0, 0, x, y, 1, -v * x, -v * y]); rhs.append(v)
    h = np.linalg.solve(np.array(rows), np.array(rhs))
    return np.append(h, 1).reshape(3, 3)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--image", default=IMAGE)
    parser.add_argument("--out", default="/tmp/ar_rect.png")
    args = parser.parse_args()
    photo = Image.open(args.image).convert("L")
    im = np.asarray(photo).astype(float)
    top = fit(im, True, 45, 695, 291, -0.016)
    bottom = fit(im, True, 45, 695, 816, 0.0)      # the line under TOTAL POR COLUMNAS
    left = fit(im, False, 300, 810, 40, -0.016)
    right = fit(im, False, 300, 810, 701, 0.008)

    def cross(h, v):  # y = h0 + h1 x, x = v0 + v1 y
        x = (v[0] + v[1] * h[0]) / (1 - v[1] * h[1])
        return x, h[0] + h[1] * x
    corners = [cross(top, left), cross(top, right), cross(bottom, right), cross(bottom, left)]
    print("frame lines: top y=%.2f%+.5fx, bottom y=%.2f%+.5fx, left x=%.2f%+.5fy, right x=%.2f%+.5fy"
          % (*top, *bottom, *left, *right))
    print("photo corners (TL, TR, BR, BL):", [(round(x, 1), round(y, 1)) for x, y in corners])
    x, y, w, h = TABLE
    rect = [(x, y), (x + w, y), (x + w, y + h), (x, y + h)]
    to_photo = homography(rect, corners)  # reference -> photo, what Pillow's transform wants
    rectified = photo.transform(photo.size, Image.PERSPECTIVE, tuple((to_photo / to_photo[2, 2]).flatten()[:8]),
                                resample=Image.BICUBIC, fillcolor=255)
    rectified.save(args.out)
    print("rectified reference written to", args.out)
    r = np.asarray(rectified).astype(float)
    rows = r[250:860, 560:690].mean(axis=1)
    peaks, _ = find_peaks(-rows, prominence=12)
    print("row lines (x 560-690):", [int(p + 250) for p in peaks])
    cols = r[300:340, 20:715].mean(axis=0)
    peaks, _ = find_peaks(-cols, prominence=12)
    print("column lines (y 300-340):", [int(p + 20) for p in peaks])


if __name__ == "__main__":
    main()
