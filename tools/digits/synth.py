"""Synthetic protocol cells: real MNIST strokes and font digits rendered into noisy boxes.

Every function takes an explicit numpy Generator so a sample depends only on (seed, index).
Glyphs are float coverage maps (1.0 = ink) on a square canvas; `render_cell` turns one into a
uint8 cell crop (0 = ink, 255 = paper) with paper tone, pen tone, box-border remnants, blur,
noise and specks.
"""

from __future__ import annotations

import glob
import io
import os

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont
from scipy import ndimage

CANVAS = 64

HANDWRITING_FONT_GLOBS = [
    "/usr/share/fonts/truetype/fifthhorseman/dkg*.ttf",
    "/usr/share/fonts/opentype/bwht/*.otf",
    "/usr/share/fonts/truetype/breip/*.ttf",
    "/usr/share/fonts/truetype/klee/*.ttf",
    "/usr/share/fonts/truetype/humor-sans/*.ttf",
    "/usr/share/fonts/truetype/rufscript/*.ttf",
    "/usr/share/fonts/truetype/sjfonts/*.ttf",
]
PRINTED_FONT_GLOBS = [
    "/usr/share/fonts/truetype/dejavu/DejaVuSans*.ttf",
    "/usr/share/fonts/truetype/dejavu/DejaVuSerif*.ttf",
    "/usr/share/fonts/truetype/liberation/Liberation*.ttf",
    "/usr/share/fonts/truetype/freefont/Free*.ttf",
]


def font_paths() -> tuple[list[str], list[str]]:
    def collect(globs):
        out = []
        for g in globs:
            out.extend(sorted(glob.glob(g)))
        return [p for p in out if os.path.isfile(p)]

    return collect(HANDWRITING_FONT_GLOBS), collect(PRINTED_FONT_GLOBS)


_font_cache: dict = {}


def font_glyph(path: str, ch: str) -> np.ndarray | None:
    """Coverage map of one character, tightly cropped; None if the font lacks it."""
    key = (path, ch)
    if key in _font_cache:
        return _font_cache[key]
    font = ImageFont.truetype(path, 96)
    im = Image.new("L", (192, 192), 0)
    dr = ImageDraw.Draw(im)
    dr.text((40, 20), ch, fill=255, font=font)
    a = np.asarray(im, dtype=np.float32) / 255.0
    ys, xs = np.nonzero(a > 0.2)
    g = None
    if len(ys) > 20:
        g = a[ys.min():ys.max() + 1, xs.min():xs.max() + 1]
    _font_cache[key] = g
    return g


def mnist_glyph(img28: np.ndarray) -> np.ndarray:
    """MNIST digit (ink = 255) as a cropped coverage map."""
    a = img28.astype(np.float32) / 255.0
    ys, xs = np.nonzero(a > 0.1)
    if len(ys) == 0:
        return a
    return a[ys.min():ys.max() + 1, xs.min():xs.max() + 1]


def place(glyph: np.ndarray, rng, size=CANVAS, height_frac=(0.50, 0.75)) -> np.ndarray:
    """Scale a cropped glyph into a square canvas, centred with jitter."""
    gh, gw = glyph.shape
    target_h = size * rng.uniform(*height_frac)
    s = target_h / gh
    if gw * s > size * 0.85:
        s = size * 0.85 / gw
    nh, nw = max(1, int(round(gh * s))), max(1, int(round(gw * s)))
    im = Image.fromarray((np.clip(glyph, 0, 1) * 255).astype(np.uint8)).resize((nw, nh), Image.BILINEAR)
    c = np.zeros((size, size), dtype=np.float32)
    oy = (size - nh) // 2 + int(rng.integers(-3, 4))
    ox = (size - nw) // 2 + int(rng.integers(-3, 4))
    oy = min(max(oy, 0), size - nh)
    ox = min(max(ox, 0), size - nw)
    c[oy:oy + nh, ox:ox + nw] = np.asarray(im, dtype=np.float32) / 255.0
    return c


def elastic(c: np.ndarray, rng, alpha: float, sigma: float) -> np.ndarray:
    h, w = c.shape
    dx = ndimage.gaussian_filter(rng.uniform(-1, 1, (h, w)), sigma) * alpha
    dy = ndimage.gaussian_filter(rng.uniform(-1, 1, (h, w)), sigma) * alpha
    yy, xx = np.meshgrid(np.arange(h), np.arange(w), indexing="ij")
    return ndimage.map_coordinates(c, [yy + dy, xx + dx], order=1, mode="constant").astype(np.float32)


def affine(c: np.ndarray, rng, max_rot=10.0, scale=(0.9, 1.1), shear=0.15) -> np.ndarray:
    h, w = c.shape
    th = np.deg2rad(rng.uniform(-max_rot, max_rot))
    s = rng.uniform(*scale)
    sh = rng.uniform(-shear, shear)
    m = np.array([[np.cos(th), -np.sin(th)], [np.sin(th), np.cos(th)]]) @ np.array([[1, sh], [0, 1]]) * s
    inv = np.linalg.inv(m)
    ctr = np.array([h / 2, w / 2])
    off = ctr - inv @ ctr
    return ndimage.affine_transform(c, inv, offset=off, order=1, mode="constant").astype(np.float32)


def stroke_width(c: np.ndarray, rng) -> np.ndarray:
    k = rng.choice([-2, -1, 0, 0, 1, 2, 3])
    if k > 0:
        return ndimage.grey_dilation(c, size=(k + 1, k + 1))
    if k < 0:
        e = ndimage.grey_erosion(c, size=(-k + 1, -k + 1))
        return e if e.sum() > 0.3 * c.sum() else c
    return c


def augment_glyph(c: np.ndarray, rng, strong=True) -> np.ndarray:
    if strong and rng.random() < 0.7:
        c = elastic(c, rng, alpha=rng.uniform(1.5, 4.0), sigma=rng.uniform(3.0, 5.0) * CANVAS / 28 / 2)
    c = affine(c, rng)
    c = stroke_width(c, rng)
    return np.clip(c, 0, 1)


def draw_lines(lines, rng, size=CANVAS) -> np.ndarray:
    """Coverage map with polylines [(points, width)]."""
    im = Image.new("L", (size * 2, size * 2), 0)
    dr = ImageDraw.Draw(im)
    for pts, wd in lines:
        dr.line([(2 * x, 2 * y) for x, y in pts], fill=255, width=max(1, int(round(2 * wd))), joint="curve")
    im = im.resize((size, size), Image.BILINEAR)
    return np.asarray(im, dtype=np.float32) / 255.0


def wobbly(p0, p1, rng, n=5, amp=1.5):
    pts = []
    for t in np.linspace(0, 1, n):
        x = p0[0] + (p1[0] - p0[0]) * t + rng.normal(0, amp)
        y = p0[1] + (p1[1] - p0[1]) * t + rng.normal(0, amp)
        pts.append((x, y))
    return pts


def dash_glyph(rng) -> np.ndarray:
    s = CANVAS
    length = s * rng.uniform(0.3, 0.8)
    cx, cy = s / 2 + rng.uniform(-5, 5), s / 2 + rng.uniform(-8, 8)
    ang = np.deg2rad(rng.uniform(-8, 8))
    dx, dy = np.cos(ang) * length / 2, np.sin(ang) * length / 2
    wd = rng.uniform(2, 7)
    lines = [(wobbly((cx - dx, cy - dy), (cx + dx, cy + dy), rng, amp=0.8), wd)]
    if rng.random() < 0.1:  # double dash "="-like pad mark
        off = rng.uniform(6, 10)
        lines.append((wobbly((cx - dx, cy - dy + off), (cx + dx, cy + dy + off), rng, amp=0.8), wd))
    return draw_lines(lines, rng)


def cross_glyph(rng) -> np.ndarray:
    s = CANVAS
    half = s * rng.uniform(0.2, 0.42)
    cx, cy = s / 2 + rng.uniform(-4, 4), s / 2 + rng.uniform(-4, 4)
    wd = rng.uniform(2, 6)
    hx = half * rng.uniform(0.7, 1.2)
    a = ((cx - hx, cy - half), (cx + hx, cy + half))
    b = ((cx + hx, cy - half), (cx - hx, cy + half))
    if rng.random() < 0.3:  # a single diagonal slash, fairly flat so it differs from a "1"
        hx = half * rng.uniform(0.9, 1.5)
        p = ((cx - hx, cy + half), (cx + hx, cy - half)) if rng.random() < 0.7 else ((cx - hx, cy - half), (cx + hx, cy + half))
        return draw_lines([(wobbly(*p, rng, amp=1.0), wd)], rng)
    return draw_lines([(wobbly(*a, rng, amp=1.0), wd), (wobbly(*b, rng, amp=1.0), wd)], rng)


def strike_over(c: np.ndarray, rng) -> np.ndarray:
    """Cross out a placed digit: a line through it, a zigzag scribble or an X over it."""
    ys, xs = np.nonzero(c > 0.3)
    if len(ys) == 0:
        return c
    y0, y1, x0, x1 = ys.min(), ys.max(), xs.min(), xs.max()
    wd = rng.uniform(2, 5)
    kind = rng.random()
    if kind < 0.35:  # horizontal line through, longer than the digit
        y = rng.uniform(y0 + 0.3 * (y1 - y0), y0 + 0.7 * (y1 - y0))
        ext = rng.uniform(3, 10)
        tilt = rng.uniform(-6, 6)
        lines = [(wobbly((x0 - ext, y - tilt), (x1 + ext, y + tilt), rng, amp=0.8), wd)]
    elif kind < 0.8:  # scribble: zigzag over the digit
        n = int(rng.integers(4, 9))
        pts = []
        for i in range(n):
            t = i / (n - 1)
            x = x0 - 3 + (x1 - x0 + 6) * (i % 2) + rng.normal(0, 2)
            y = y0 + (y1 - y0) * t + rng.normal(0, 2)
            pts.append((x, y))
        if rng.random() < 0.5:
            pts = [(p[1] - y0 + x0, p[0] - x0 + y0) for p in pts]  # vertical zigzag
        lines = [(pts, wd)]
    else:  # X drawn over the digit
        lines = [(wobbly((x0 - 2, y0 - 2), (x1 + 2, y1 + 2), rng), wd), (wobbly((x1 + 2, y0 - 2), (x0 - 2, y1 + 2), rng), wd)]
    return np.maximum(c, draw_lines(lines, rng))


def render_cell(glyph: np.ndarray, rng) -> np.ndarray:
    """Put a CANVAS-sized coverage map into a cell crop of random size with paper effects."""
    h = int(rng.integers(26, 72))
    w = int(round(h * rng.uniform(0.7, 1.4)))
    # the glyph canvas covers the cell (inset a little), resized
    im = Image.fromarray((np.clip(glyph, 0, 1) * 255).astype(np.uint8)).resize((w, h), Image.BILINEAR)
    ink = np.asarray(im, dtype=np.float32) / 255.0

    paper = rng.uniform(170, 255)
    pen = rng.uniform(0, 110) if rng.random() > 0.12 else rng.uniform(100, paper - 60)
    # uneven light: a linear gradient of up to 40 levels
    gy, gx = np.meshgrid(np.linspace(-0.5, 0.5, h), np.linspace(-0.5, 0.5, w), indexing="ij")
    light = (gx * rng.uniform(-40, 40) + gy * rng.uniform(-40, 40))
    bg = np.clip(paper + light, 0, 255)
    img = bg * (1 - ink) + pen * ink

    # printed box border remnants at the edges
    if rng.random() < 0.6:
        border_tone = rng.uniform(0, 140)
        for side in range(4):
            if rng.random() < 0.5:
                continue
            band = max(3, (h if side < 2 else w) // 8)
            t = int(rng.integers(1, min(3, band - 1) + 1))
            off = int(rng.integers(0, band - t + 1))
            start = rng.uniform(0, 0.3)
            stop = rng.uniform(0.7, 1.0) if rng.random() < 0.7 else rng.uniform(0.3, 0.7)
            if side == 0:
                img[off:off + t, int(start * w):int(stop * w)] = border_tone
            elif side == 1:
                img[h - off - t:h - off, int(start * w):int(stop * w)] = border_tone
            elif side == 2:
                img[int(start * h):int(stop * h), off:off + t] = border_tone
            else:
                img[int(start * h):int(stop * h), w - off - t:w - off] = border_tone
    # specks
    for _ in range(int(rng.poisson(1.0))):
        y, x = int(rng.integers(0, h)), int(rng.integers(0, w))
        r = int(rng.integers(0, 2))
        img[max(0, y - r):y + r + 1, max(0, x - r):x + r + 1] = rng.uniform(0, 150)
    if rng.random() < 0.5:
        img = ndimage.gaussian_filter(img, rng.uniform(0.3, 1.0))
    img = img + rng.normal(0, rng.uniform(0, 12), img.shape)
    return np.clip(np.round(img), 0, 255).astype(np.uint8)


# ----------------------------------------------------------------------------- v2: box cells
# Cells the way tools/corpus/generate.py --handwritten makes them and the pipeline crops them: a digit
# written large (53-90% of the box height, up to 6 px short of it) into a printed box with a 2-4 px
# outline, pen colour and pressure, then the box cropped 9% inside its outline with a few pixels of
# registration error (so the digit may touch the crop edge and outline remnants may show), blur, JPEG,
# contrast stretch.

def crop_ink(c: np.ndarray, thr=0.1) -> np.ndarray | None:
    ys, xs = np.nonzero(c > thr)
    if len(ys) == 0:
        return None
    return c[ys.min():ys.max() + 1, xs.min():xs.max() + 1]


def mark_mask(ch: str, height: int, rng, stroke: int) -> np.ndarray:
    """Pad mark like the generator: '-' or 'X' in a (height, w + 8) mask."""
    w = int(height * rng.uniform(0.55, 0.8))
    m = Image.new("L", (w + 8, height), 0)
    dd = ImageDraw.Draw(m)
    if ch == "-":
        y = height // 2 + int(rng.integers(-6, 7))
        dd.line([2, y + int(rng.integers(-4, 5)), w + 4, y + int(rng.integers(-4, 5))], fill=255, width=stroke)
    else:
        dd.line([3, 6, w + 3, height - 6], fill=255, width=stroke)
        dd.line([w + 3, 8, 4, height - 4], fill=255, width=stroke)
    return np.asarray(m, dtype=np.float32) / 255.0


def jpeg_roundtrip(img: np.ndarray, rng) -> np.ndarray:
    """The uint8 grey image saved and read back as JPEG at a quality of 40-95."""
    buf = io.BytesIO()
    Image.fromarray(img).save(buf, "JPEG", quality=int(rng.integers(40, 96)))
    return np.asarray(Image.open(io.BytesIO(buf.getvalue())).convert("L"), dtype=np.uint8)


def write_glyph(img: np.ndarray, g: np.ndarray, pad: int, W: float, H: float, rng) -> np.ndarray:
    """img with the glyph coverage g (1 = ink) written in pen into the box of size W x H at offset pad: turned
    a little, placed near the centre, pen tone and pressure drawn from rng (box_cell and pipeline_cell)."""
    ph, pw = img.shape
    ang = rng.uniform(-7, 7) + rng.uniform(-8, 8)
    im = Image.fromarray((np.clip(g, 0, 1) * 255).astype(np.uint8)).rotate(ang, resample=Image.BILINEAR, expand=True)
    g = np.asarray(im, dtype=np.float32) / 255.0
    cx = pad + W / 2 + rng.uniform(-0.1, 0.1) * W
    cy = pad + H / 2 + rng.uniform(-0.08, 0.08) * H
    y0, x0 = int(cy - g.shape[0] / 2), int(cx - g.shape[1] / 2)
    m = np.zeros((ph, pw), np.float32)
    ys0, xs0 = max(0, y0), max(0, x0)
    ys1, xs1 = min(ph, y0 + g.shape[0]), min(pw, x0 + g.shape[1])
    if ys1 > ys0 and xs1 > xs0:
        m[ys0:ys1, xs0:xs1] = g[ys0 - y0:ys1 - y0, xs0 - x0:xs1 - x0]
    pen = rng.uniform(15, 110)
    m *= rng.uniform(0.55, 1.0) * rng.uniform(0.85, 1.0)
    return img * (1 - m) + pen * m


def box_cell(cov: np.ndarray | None, rng, mnist=False, mark: str | None = None) -> np.ndarray:
    """cov: cropped coverage map of the glyph (1 = ink), or None with mark='-'/'x'/'' (empty box)."""
    H = int(rng.integers(34, 96))
    W = int(round(H * rng.uniform(0.65, 1.1)))
    pad = 14
    ph, pw = H + 2 * pad, W + 2 * pad
    paper = rng.uniform(185, 255)
    gy, gx = np.meshgrid(np.linspace(-0.5, 0.5, ph), np.linspace(-0.5, 0.5, pw), indexing="ij")
    img = np.clip(paper + gx * rng.uniform(-30, 30) + gy * rng.uniform(-30, 30), 0, 255)
    t = int(rng.integers(2, 5))
    tone = rng.uniform(0, 90)
    img[pad:pad + t, pad:pad + W] = tone
    img[pad + H - t:pad + H, pad:pad + W] = tone
    img[pad:pad + H, pad:pad + t] = tone
    img[pad:pad + H, pad + W - t:pad + W] = tone

    gh = int(min(H * rng.uniform(0.62, 0.82) * rng.uniform(0.85, 1.1), H - 6))
    stroke = int(rng.integers(3, 8))
    if mark is not None:
        g = mark_mask(mark, gh, rng, max(2, int(round(stroke * H / 80)))) if mark else None
    else:
        if mnist and rng.random() < 0.85:
            lo = int(rng.integers(30, 140))
            cov = np.clip((cov * 255.0 - lo) / max(1, 200 - lo), 0, 1)
            cov = crop_ink(cov, 0.01)
        if cov is None:
            g = None
        else:
            s = gh / cov.shape[0]
            im = Image.fromarray((np.clip(cov, 0, 1) * 255).astype(np.uint8))
            im = im.resize((max(4, int(cov.shape[1] * s)), gh), Image.BILINEAR)
            if not mnist and rng.random() < 0.4:
                im = im.filter(ImageFilter.MaxFilter(3))
            g = np.asarray(im, dtype=np.float32) / 255.0
    if g is not None:
        img = write_glyph(img, g, pad, W, H, rng)
    # crop 9% inside the outline, with registration error
    dy, dx = rng.uniform(-3.5, 3.5, 2)
    iy, ix = 0.09 * H, 0.09 * W
    top = int(round(pad + iy + dy + rng.uniform(-1, 1)))
    bot = int(round(pad + H - iy + dy + rng.uniform(-1, 1)))
    left = int(round(pad + ix + dx + rng.uniform(-1, 1)))
    right = int(round(pad + W - ix + dx + rng.uniform(-1, 1)))
    img = img[top:bot, left:right]
    if rng.random() < 0.7:
        img = ndimage.gaussian_filter(img, rng.uniform(0.3, 1.2))
    img = img + rng.normal(0, rng.uniform(0, 8), img.shape)
    img = np.clip(np.round(img), 0, 255).astype(np.uint8)
    if rng.random() < 0.7:
        img = jpeg_roundtrip(img, rng)
    # the pipeline's contrastStretched(): levels at the 1st and 90th percentile to 0 and 255 if > 30 apart
    srt = np.sort(img.ravel())
    lo, hi = int(srt[int(img.size * 0.01)]), int(srt[min(img.size - 1, int(img.size * 0.9))])
    if hi - lo > 30:
        img = np.clip((img.astype(np.float64) - lo) / (hi - lo) * 255, 0, 255).round().astype(np.uint8)
    return img


# ----------------------------------------------------------------------------- v3: pipeline cells
# v2's box_cell draws the box at the size the classifier sees. The pipeline instead crops a box of the
# page (100 px wide, 100-120 px high at 300 dpi in the templates; about 0.55-0.8 of that in a phone
# photo), 9% inside its 3 px outline, and resamples it with one bilinear sample per output pixel
# (HattamaImaging PageWarp.warped, no area averaging) to 56 px per box height: a 46 px high crop whose
# strokes and outline remnants are aliased. The page is degraded (blur, noise, JPEG) before that
# resampling. MNIST digits are drawn as generate.py --handwritten draws them: cropped at > 40, resized
# to the glyph height, then thresholded with a lookup table (lo 30-140).

def _bilinear_crop(img: np.ndarray, top: float, left: float, h: float, w: float, oh: int, ow: int) -> np.ndarray:
    """Point-sampled bilinear resampling of img[top:top+h, left:left+w] to (oh, ow), like PageWarp.warped."""
    ys = top + (np.arange(oh) + 0.5) * (h / oh) - 0.5
    xs = left + (np.arange(ow) + 0.5) * (w / ow) - 0.5
    yy, xx = np.meshgrid(ys, xs, indexing="ij")
    return ndimage.map_coordinates(img, [yy, xx], order=1, mode="nearest")


def _mnist_like_generator(img28: np.ndarray, height: int, rng) -> np.ndarray | None:
    a = img28
    ys, xs = np.nonzero(a > 40)
    if len(ys) == 0:
        return None
    a = a[ys.min():ys.max() + 1, xs.min():xs.max() + 1]
    g = Image.fromarray(a).resize((max(4, int(a.shape[1] * height / a.shape[0])), height), Image.BILINEAR)
    lo = int(rng.integers(30, 140))
    lut = [0 if v < lo else min(255, int((v - lo) * 255 / max(1, 200 - lo))) for v in range(256)]
    return np.asarray(g.point(lut), dtype=np.float32) / 255.0


def thinned(g: np.ndarray, rng) -> np.ndarray:
    """Glyph coverage g drawn with a finer pen: eroded by 1-2 px at three times its size. MNIST's strokes are
    about a sixth of the digit's height; a pencil digit in a small box is often one pixel wide."""
    h, w = g.shape
    big = np.asarray(Image.fromarray((np.clip(g, 0, 1) * 255).astype(np.uint8)).resize((3 * w, 3 * h), Image.BILINEAR),
                     dtype=np.float32)
    big = ndimage.grey_erosion(big, size=int(rng.integers(2, 4)))
    out = np.asarray(Image.fromarray(big.astype(np.uint8)).resize((w, h), Image.BILINEAR), dtype=np.float32) / 255.0
    return out if out.max() >= 0.6 else g  # a stroke thinned away would be a digit that is not there


def pipeline_cell(cov: np.ndarray | None, rng, mnist28: np.ndarray | None = None, font=False,
                  mark: str | None = None, small=False) -> np.ndarray:
    """A cell as the pipeline sees it. cov: cropped glyph coverage (1 = ink); or mnist28 (uint8, ink = 255)
    drawn the generator's way; or None with mark '-'/'x'/'' (empty box). small: the box 12-42 px high in the
    image, as on a 72 dpi scan or a phone photo of a whole page (Honduras actas, the Argentina certificado),
    lightly blurred and often faint, so the pipeline enlarges it three to eight times."""
    Ht = float(rng.choice([100, 110, 120]))
    Wt = 100.0
    if small:
        f = rng.uniform(0.12, 0.35)
    else:
        f = 1.0 if rng.random() < 0.5 else rng.uniform(0.55, 0.8)  # scan at template scale, or a photo
    H, W = Ht * f, Wt * f
    pad = 16
    ph, pw = int(np.ceil(H)) + 2 * pad, int(np.ceil(W)) + 2 * pad
    paper = rng.uniform(185, 255)
    gy, gx = np.meshgrid(np.linspace(-0.5, 0.5, ph), np.linspace(-0.5, 0.5, pw), indexing="ij")
    img = np.clip(paper + gx * rng.uniform(-30, 30) + gy * rng.uniform(-30, 30), 0, 255)
    # 3 px outline at template scale, anti-aliased coverage at page scale
    t = 3.0 * f
    tone = rng.uniform(0, 90)
    yy, xx = np.meshgrid(np.arange(ph) + 0.5, np.arange(pw) + 0.5, indexing="ij")
    inside_o = (yy >= pad) & (yy < pad + H) & (xx >= pad) & (xx < pad + W)
    inside_i = (yy >= pad + t) & (yy < pad + H - t) & (xx >= pad + t) & (xx < pad + W - t)
    ring = (inside_o & ~inside_i).astype(np.float32)
    ring = ndimage.gaussian_filter(ring, 0.35)
    img = img * (1 - ring) + tone * ring

    size = rng.uniform(0.85, 1.1)
    gh = int(min(H * rng.uniform(0.62, 0.82) * size, H - 6 * f))
    stroke = int(rng.integers(3, 8))
    g = None
    if mark is not None:
        g = mark_mask(mark, gh, rng, max(2, int(round(stroke * f)))) if mark else None
    elif mnist28 is not None:
        g = _mnist_like_generator(mnist28, gh, rng)
    elif cov is not None:
        s = gh / cov.shape[0]
        im = Image.fromarray((np.clip(cov, 0, 1) * 255).astype(np.uint8))
        im = im.resize((max(4, int(cov.shape[1] * s)), gh), Image.BILINEAR)
        if font and stroke > 5:
            im = im.filter(ImageFilter.MaxFilter(3))
        g = np.asarray(im, dtype=np.float32) / 255.0
    if g is not None and small and rng.random() < 0.5:
        g = thinned(g, rng)
    if g is not None:
        img = write_glyph(img, g, pad, W, H, rng)
    # page degradation before the pipeline resamples the cell
    if small:
        if rng.random() < 0.4:  # faint pencil or a pale scan: everything closer to the paper
            img = paper - (paper - img) * rng.uniform(0.45, 0.85)
        if rng.random() < 0.5:
            img = ndimage.gaussian_filter(img, rng.uniform(0.2, 0.6))
    elif rng.random() < 0.6:
        img = ndimage.gaussian_filter(img, rng.uniform(0.3, 1.3))
    img = img + rng.normal(0, rng.uniform(0, 8), img.shape)
    img = np.clip(np.round(img), 0, 255).astype(np.uint8)
    if rng.random() < 0.6:
        img = jpeg_roundtrip(img, rng)
    # registration error of a few template px, crop 9% inside the box, 56 px per box height
    scale = 56.0 / Ht
    dy, dx = rng.uniform(-3.5, 3.5, 2) * f
    top = pad + 0.09 * H + dy
    left = pad + 0.09 * W + dx
    oh = max(1, int(round(0.82 * Ht * scale)))
    ow = max(1, int(round(0.82 * Wt * scale)))
    img = _bilinear_crop(img.astype(np.float64), top, left, 0.82 * H, 0.82 * W, oh, ow)
    img = np.clip(np.round(img), 0, 255).astype(np.uint8)
    srt = np.sort(img.ravel())
    lo, hi = int(srt[int(img.size * 0.01)]), int(srt[min(img.size - 1, int(img.size * 0.9))])
    if hi - lo > 30:
        img = np.clip((img.astype(np.float64) - lo) / (hi - lo) * 255, 0, 255).round().astype(np.uint8)
    return img
