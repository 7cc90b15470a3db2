#!/usr/bin/env python3
"""Synthetic corpus of filled-in protocol forms, with ground truth, deterministic from --seed.

Reads the templates (seeds/forms/*.yaml) and elections (seeds/elections/*.yaml) in the format of
docs/templates.md, renders each form's reference page (marks, title, table, labels, box outlines),
fills in values that satisfy every relation of the template (or deliberately break one), writes the
digits printed or handwritten, degrades the page like a scan or a phone photo and writes
DIR/<form>-<seq>.{png|jpg} with DIR/<form>-<seq>.truth.json beside it. See tools/corpus/README.md.
"""
from __future__ import annotations

import argparse
import io
import json
import math
import os
import re
import sys
import time
from functools import lru_cache
from pathlib import Path

import numpy as np
import yaml
from PIL import Image, ImageDraw, ImageFilter, ImageFont

ROOT = Path(__file__).resolve().parents[2]
GENERATOR_VERSION = 1

# --------------------------------------------------------------------------------------------------
# Fonts
FONT_DIRS = ["/usr/share/fonts/truetype", "/usr/share/fonts/opentype"]


def _font_path(name: str) -> str | None:
    for d in FONT_DIRS:
        for root, _, files in os.walk(d):
            if name in files:
                return os.path.join(root, name)
    return None


# Printed families: regular, bold, fallback family for glyphs the font lacks (Liberation has no Kazakh letters).
PRINT_FAMILIES = {
    "DejaVuSans": ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf", None),
    "DejaVuSerif": ("DejaVuSerif.ttf", "DejaVuSerif-Bold.ttf", None),
    "LiberationSans": ("LiberationSans-Regular.ttf", "LiberationSans-Bold.ttf", "DejaVuSans"),
    "LiberationSerif": ("LiberationSerif-Regular.ttf", "LiberationSerif-Bold.ttf", "DejaVuSerif"),
    "LiberationMono": ("LiberationMono-Regular.ttf", "LiberationMono-Bold.ttf", "DejaVuSans"),
    "FreeSans": ("FreeSans.ttf", "FreeSansBold.ttf", None),
    "FreeSerif": ("FreeSerif.ttf", "FreeSerifBold.ttf", None),
}
# Handwriting fonts (Debian fonts-dkg-handwriting, fonts-bwht, fonts-breip, fonts-klee, fonts-humor-sans,
# fonts-rufscript, fonts-sjfonts). Only those found at run time are used.
HAND_FONTS = ["dkg.ttf", "dkgIt.ttf", "BecauseWeBuild-Regular.otf", "BecauseWeConnect-Regular.otf",
              "BecauseWeCreate-Regular.otf", "BecauseWeLearn-Regular.otf", "BecauseWeMentor-Regular.otf",
              "BecauseWeOrganize-Regular.otf", "Breip.ttf", "KleeOne-Regular.ttf", "KleeOne-SemiBold.ttf",
              "Humor-Sans.ttf", "Rufscript010.ttf", "Delphine.ttf", "SteveHand.ttf"]
# Handwriting-like fonts with Cyrillic, for the number in words; the italic serifs stand in when missing.
HAND_WORD_FONTS = ["SteveHand.ttf", "DejaVuSerif-Italic.ttf", "FreeSerifItalic.ttf",
                   "LiberationSerif-Italic.ttf"]


@lru_cache(maxsize=None)
def font_path(name: str) -> str:
    p = _font_path(name)
    if p is None:
        raise SystemExit(f"font {name} not found (install fonts-dejavu, fonts-liberation, fonts-freefont-ttf)")
    return p


@lru_cache(maxsize=512)
def load_font(path: str, size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(path, size)


@lru_cache(maxsize=None)
def _missing_mask(path: str):
    m = load_font(path, 40).getmask("\uffff")
    return bytes(m), m.size


@lru_cache(maxsize=None)
def has_char(path: str, ch: str) -> bool:
    if ch.isspace():
        return True
    m = load_font(path, 40).getmask(ch)
    return (bytes(m), m.size) != _missing_mask(path)


def covers(path: str, text: str) -> bool:
    return all(has_char(path, c) for c in text)


def family_font(family: str, bold: bool, text: str) -> str:
    reg, bld, fb = PRINT_FAMILIES[family]
    p = font_path(bld if bold else reg)
    if fb and not covers(p, text):
        return family_font(fb, bold, text)
    return p


@lru_cache(maxsize=None)
def hand_fonts() -> list[str]:
    out = []
    for n in HAND_FONTS:
        p = _font_path(n)
        if p and covers(p, "0123456789"):
            out.append(p)
    return out


RU_LETTERS = "абвгдежзийклмнопрстуфхцчшщъыьэюя"
KK_LETTERS = RU_LETTERS + "әғқңөұүһі"


@lru_cache(maxsize=None)
def hand_word_fonts(letters: str = RU_LETTERS) -> list[str]:
    out = []
    for n in HAND_WORD_FONTS:
        p = _font_path(n)
        if p and covers(p, letters):
            out.append(p)
    return out


# --------------------------------------------------------------------------------------------------
# Templates

def load_yaml(p: Path):
    with open(p, encoding="utf-8") as f:
        return yaml.safe_load(f)


def load_forms(forms_dir: Path, elections_dir: Path):
    forms = {}
    for p in sorted(forms_dir.glob("*.yaml")):
        d = load_yaml(p)
        forms[d["id"]] = d
    elections = {}
    for p in sorted(elections_dir.glob("*.yaml")):
        d = load_yaml(p)
        elections[d["id"]] = d
    return forms, elections


def shift(rect, dy):
    if rect is None:
        return None
    r = dict(rect)
    r["y"] = r["y"] + dy
    return r


def expand_fields(form, election):
    """One row per field; repeat: choices expands to one row per choice of the election, in ballot order."""
    rows = []
    for f in form["fields"]:
        if f.get("repeat") == "choices":
            choices = election["choices"]
            if len(choices) > f.get("max_rows", len(choices)):
                raise SystemExit(f"{form['id']}: election {election['id']} has more choices than max_rows")
            for i, c in enumerate(choices):
                dy = i * f["row_pitch"]
                rows.append({"key": c["key"], "line": f["first_line"] + i, "kind": "count",
                             "label": c["name"], "choice": True,
                             "label_box": shift(f.get("label_box"), dy), "cells": shift(f.get("cells"), dy),
                             "box": shift(f.get("box"), dy), "words": shift(f.get("words"), dy)})
        else:
            rows.append({"key": f["key"], "line": f.get("line", 0), "kind": f.get("kind", "count"),
                         "label": f.get("label", {}), "choice": False, "label_box": f.get("label_box"),
                         "cells": f.get("cells"), "box": f.get("box"), "words": f.get("words")})
    return rows


def value_rect(row):
    c = row["cells"]
    if c:
        return (c["x"], c["y"], c["x"] + c["pitch"] * (c["count"] - 1) + c["width"], c["y"] + c["height"])
    b = row["box"]
    if b:
        return (b["x"], b["y"], b["x"] + b["width"], b["y"] + b["height"])
    return None


# --------------------------------------------------------------------------------------------------
# Relations: the grammar of docs/templates.md

_TOK = re.compile(r"\s*(?:(?P<fn>sum|each)\(\s*(?P<prefix>[A-Za-z_]\w*(?:\.\w+)*)\.\*\s*\)"
                  r"|(?P<key>[A-Za-z_]\w*(?:\.\w+)*)|(?P<num>\d+)|(?P<op>==|>=|<=|>|<)|(?P<p>[-+()]))")


def tokenize(expr: str):
    toks, pos = [], 0
    expr = expr.strip()
    while pos < len(expr):
        m = _TOK.match(expr, pos)
        if not m or m.end() == pos:
            raise ValueError(f"cannot parse relation at {expr[pos:]!r}")
        pos = m.end()
        if m.group("fn"):
            toks.append((m.group("fn"), m.group("prefix")))
        elif m.group("key"):
            toks.append(("key", m.group("key")))
        elif m.group("num"):
            toks.append(("num", int(m.group("num"))))
        elif m.group("op"):
            toks.append(("op", m.group("op")))
        else:
            toks.append(("p", m.group("p")))
    return toks


def _matching(prefix, keys):
    return [k for k in keys if k.startswith(prefix + ".")]


def _eval_sum(toks, i, values, keys):
    """sum := term (('+'|'-') term)* ; returns (value or None if a value is missing, next index)."""
    total, sign, first = 0, 1, True
    missing = False
    while True:
        if i < len(toks) and toks[i] == ("p", "-") and first:
            sign, i = -1, i + 1
        t = toks[i]
        if t == ("p", "("):
            v, i = _eval_sum(toks, i + 1, values, keys)
            if toks[i] != ("p", ")"):
                raise ValueError("missing )")
            i += 1
        elif t[0] == "key":
            v = values.get(t[1])
            i += 1
        elif t[0] == "num":
            v, i = t[1], i + 1
        elif t[0] == "sum":
            ks = _matching(t[1], keys)
            vs = [values.get(k) for k in ks]
            v = None if any(x is None for x in vs) else sum(vs)
            i += 1
        else:
            raise ValueError(f"unexpected {t}")
        if v is None:
            missing = True
        else:
            total += sign * v
        first = False
        if i < len(toks) and toks[i][0] == "p" and toks[i][1] in "+-":
            sign = 1 if toks[i][1] == "+" else -1
            i += 1
            continue
        return (None if missing else total), i


_OPS = {"==": lambda a, b: a == b, ">=": lambda a, b: a >= b, "<=": lambda a, b: a <= b,
        ">": lambda a, b: a > b, "<": lambda a, b: a < b}


def evaluate_relation(expr: str, values: dict, keys: list[str]):
    """True / False, or None when a value is missing. each(prefix.*) holds when every instance holds."""
    toks = tokenize(expr)
    each = [i for i, t in enumerate(toks) if t[0] == "each"]
    if each:
        i = each[0]
        results = []
        for k in _matching(toks[i][1], keys):
            inst = toks[:i] + [("key", k)] + toks[i + 1:]
            results.append(_eval_tokens(inst, values, keys))
        if any(r is False for r in results):
            return False
        return None if any(r is None for r in results) else True
    return _eval_tokens(toks, values, keys)


def _eval_tokens(toks, values, keys):
    if any(t[0] == "each" for t in toks):
        raise ValueError("only one each() per relation")
    ops = [i for i, t in enumerate(toks) if t[0] == "op"]
    if len(ops) != 1:
        raise ValueError("a relation needs exactly one comparison")
    o = ops[0]
    left, j = _eval_sum(toks[:o], 0, values, keys)
    right, k = _eval_sum(toks[o + 1:], 0, values, keys)
    if j != o or k != len(toks) - o - 1:
        raise ValueError("trailing tokens")
    if left is None or right is None:
        return None
    return _OPS[toks[o][1]](left, right)


def broken_relations(form, values, keys):
    return [r["id"] for r in form.get("relations", []) if evaluate_relation(r["expr"], values, keys) is False]


# --------------------------------------------------------------------------------------------------
# Values

# Approximate national shares, used as the centre of a per-precinct Dirichlet draw (skewed vote counts).
KNOWN_SHARES = {
    "votes.tokayev": 81.3, "against_all": 5.8, "votes.dairabayev": 3.4, "votes.kazhyken": 3.4,
    "votes.abden": 2.6, "votes.tursynbekova": 2.5, "votes.auesbayev": 2.2,
    "votes.putin": 87.3, "votes.kharitonov": 4.3, "votes.davankov": 3.9, "votes.slutsky": 3.2,
    "answers.yes": 77.2, "answers.no": 18.7,
}


def split_votes(rng, n, choice_keys):
    if not choice_keys:
        return {}
    base = np.array([KNOWN_SHARES.get(k, 0.0) for k in choice_keys], float)
    if base.sum() == 0:
        base = 0.6 ** np.arange(len(choice_keys))
        rng.shuffle(base)
    base = base / base.sum()
    if rng.random() < 0.15:                 # a less lopsided precinct (cities, diaspora)
        base = 0.5 * base + 0.5 / len(base)
    conc = rng.uniform(15, 120)
    shares = rng.dirichlet(base * conc + 0.05)
    return dict(zip(choice_keys, (int(x) for x in rng.multinomial(n, shares))))


def make_values(rng, rows, form):
    keys = [r["key"] for r in rows]
    ks = set(keys)
    choice_keys = [r["key"] for r in rows if r["choice"]]
    v = {}
    V = int(rng.triangular(300, 1400, 3000))
    turnout = rng.uniform(0.25, 0.95)
    small = lambda n, hi: int(rng.binomial(n, rng.uniform(0, hi))) if n > 0 else 0
    if "ballots_issued_inside" in ks:                         # Russian UIK protocol
        early = 0 if rng.random() < 0.6 else small(V, 0.05)
        inside = int(rng.binomial(V - early, turnout))
        outside = 0 if rng.random() < 0.2 else small(V - early - inside, 0.08)
        lost = 0 if rng.random() < 0.97 else int(rng.integers(1, 3))
        unacc = 0 if rng.random() < 0.97 else int(rng.integers(1, 6))
        cancelled = max(unacc, int(rng.integers(0, max(2, (V - early - inside - outside) // 2 + 10))))
        received = early + inside + outside + cancelled + lost - unacc
        portable = max(0, outside - (int(rng.integers(0, 3)) if rng.random() < 0.1 else 0))
        stationary = max(0, early + inside - (int(rng.integers(0, 4)) if rng.random() < 0.15 else 0))
        invalid = small(portable + stationary, 0.025)
        valid = portable + stationary - invalid
        v.update(voters_on_list=V, ballots_received=received, ballots_issued_early=early,
                 ballots_issued_inside=inside, ballots_issued_outside=outside, ballots_cancelled=cancelled,
                 ballots_in_portable_boxes=portable, ballots_in_stationary_boxes=stationary,
                 ballots_invalid=invalid, ballots_valid=valid, ballots_lost=lost, ballots_unaccounted=unacc)
        v.update(split_votes(rng, valid, choice_keys))
    else:                                                     # Kazakh protocols (president, referendum)
        issued = int(rng.binomial(V, turnout))
        received = V + (int(rng.integers(0, 40)) if rng.random() < 0.6 else 0)
        if rng.random() < 0.4:
            received = int(math.ceil(received / 10) * 10)
        participated = max(0, issued - (int(rng.integers(0, 4)) if rng.random() < 0.2 else 0))
        invalid = small(participated, 0.03)
        both = small(participated - invalid, 0.03) if "ballots_both_marked" in ks else 0
        v.update(voters_on_list=V, ballots_received=received, ballots_issued=issued,
                 ballots_unused=received - issued, voters_participated=participated, ballots_invalid=invalid)
        if "ballots_issued_outside" in ks:
            v["ballots_issued_outside"] = 0 if rng.random() < 0.15 else small(issued, 0.06)
        if "ballots_both_marked" in ks:
            v["ballots_both_marked"] = both
        v.update(split_votes(rng, participated - invalid - both, choice_keys))
    for r in rows:                                            # anything a new template adds
        if r["kind"] == "count" and r["key"] not in v:
            v[r["key"]] = 0
    return {k: v[k] for k in keys if k in v}


def capacity(row):
    c = row["cells"]
    return 10 ** c["count"] - 1 if c else 10 ** 7 - 1


def make_inconsistent(rng, form, rows, values):
    keys = [r["key"] for r in rows]
    counts = [r for r in rows if r["kind"] == "count"]
    for _ in range(200):
        r = counts[int(rng.integers(len(counts)))]
        k = r["key"]
        delta = int(rng.integers(1, 51))
        if values[k] >= delta and rng.random() < 0.3:
            delta = -delta
        nv = values[k] + delta
        if nv < 0 or nv > capacity(r):
            continue
        trial = dict(values)
        trial[k] = nv
        broken = broken_relations(form, trial, keys)
        if broken:
            return trial, {"key": k, "original": values[k], "delta": delta}
    raise RuntimeError("could not break a relation")


# --------------------------------------------------------------------------------------------------
# Russian number words

_ONES = ["", "один", "два", "три", "четыре", "пять", "шесть", "семь", "восемь", "девять"]
_ONES_F = ["", "одна", "две", "три", "четыре", "пять", "шесть", "семь", "восемь", "девять"]
_TEENS = ["десять", "одиннадцать", "двенадцать", "тринадцать", "четырнадцать", "пятнадцать",
          "шестнадцать", "семнадцать", "восемнадцать", "девятнадцать"]
_TENS = ["", "", "двадцать", "тридцать", "сорок", "пятьдесят", "шестьдесят", "семьдесят", "восемьдесят",
         "девяносто"]
_HUNDREDS = ["", "сто", "двести", "триста", "четыреста", "пятьсот", "шестьсот", "семьсот", "восемьсот",
             "девятьсот"]


def _triple(n, fem):
    w = [_HUNDREDS[n // 100]]
    t = n % 100
    if 10 <= t < 20:
        w.append(_TEENS[t - 10])
    else:
        w.append(_TENS[t // 10])
        w.append((_ONES_F if fem else _ONES)[t % 10])
    return [x for x in w if x]


def _plural(n, one, few, many):
    n = n % 100
    if 11 <= n <= 19:
        return many
    return {1: one, 2: few, 3: few, 4: few}.get(n % 10, many)


_KK_ONES = ["", "бір", "екі", "үш", "төрт", "бес", "алты", "жеті", "сегіз", "тоғыз"]
_KK_TENS = ["", "он", "жиырма", "отыз", "қырық", "елу", "алпыс", "жетпіс", "сексен", "тоқсан"]


def _kk_group(n):
    w = [_KK_ONES[n // 100], "жүз"] if n >= 100 else []
    return [x for x in w + [_KK_TENS[n % 100 // 10], _KK_ONES[n % 10]] if x]


def kk_words(n: int) -> str:
    """Kazakh number words as a commission writes them (0-999,999): 1,247 = бір мың екі жүз қырық жеті."""
    if n == 0:
        return "нөл"
    th, un = divmod(n, 1000)
    return " ".join((_kk_group(th) + ["мың"] if th else []) + _kk_group(un))


def number_words(n: int, language: str) -> str:
    return kk_words(n) if language == "kk" else ru_words(n)


def ru_words(n: int) -> str:
    if n == 0:
        return "ноль"
    parts = []
    mil, rest = divmod(n, 1_000_000)
    th, un = divmod(rest, 1000)
    if mil:
        parts += _triple(mil, False) + [_plural(mil, "миллион", "миллиона", "миллионов")]
    if th:
        parts += _triple(th, True) + [_plural(th, "тысяча", "тысячи", "тысяч")]
    parts += _triple(un, False)
    return " ".join(parts)


# --------------------------------------------------------------------------------------------------
# Static page

def wrap(text, font, width):
    words, lines, cur = text.split(), [], ""
    for w in words:
        t = (cur + " " + w).strip()
        if font.getlength(t) <= width or not cur:
            cur = t
        else:
            lines.append(cur)
            cur = w
    if cur:
        lines.append(cur)
    return lines


def draw_text_block(draw, parts, family, rect, start=30, minimum=13, align="left", bold=False, fill=0,
                    valign="center", pad=6):
    """parts: list of strings, each wrapped on its own; shrinks the size until the block fits rect."""
    x0, y0, x1, y1 = rect
    w, h = x1 - x0, y1 - y0
    for size in range(start, minimum - 1, -1):
        blocks = []
        total = 0
        for t in parts:
            p = family_font(family, bold, t)
            f = load_font(p, size)
            ls = wrap(t, f, w)
            blocks.append((f, ls))
            total += len(ls)
        lh = int(size * 1.18)
        if total * lh <= h - 2 * pad or size == minimum:
            break
    y = y0 + ((h - total * lh) // 2 if valign == "center" else 0)
    for f, ls in blocks:
        for line in ls:
            if align == "center":
                x = x0 + (w - f.getlength(line)) / 2
            elif align == "right":
                x = x1 - f.getlength(line)
            else:
                x = x0
            draw.text((x, y), line, font=f, fill=fill)
            y += lh
    return y


def label_parts(label: dict, country: str):
    langs = ["kk", "ru"] if country == "KZ" else ["ru"] if country == "RU" else ["en"]
    out = [label[l] for l in langs if l in label]
    return out or [label.get("en", "")]


def choice_parts(name: dict, country: str):
    ps = label_parts(name, country)
    if len(ps) == 2 and max(len(p) for p in ps) <= 12:
        return [f"{ps[0]} / {ps[1]}"]
    return ps


SUBHEADINGS = {
    "KZ": ["Дауыс беру нәтижелері", "Результаты голосования"],
    "RU": ["Фамилии, имена и отчества внесенных в избирательный бюллетень зарегистрированных кандидатов"],
}
COLUMN_HEADS = {
    "KZ": ["№", "Жолдың атауы / Наименование строки", "Саны / Число", "Жазбаша / Прописью"],
    "RU": ["№", "Наименование строки", "Цифрами", "Прописью"],
}
FOOTER = {
    "KZ": ["Учаскелік комиссияның төрағасы / Председатель участковой комиссии  ____________________",
           "Төрағаның орынбасары / Заместитель председателя  ____________________",
           "Хатшы / Секретарь  ____________________",
           "М.О. / М.П.        Хаттамаға қол қойылды / Протокол подписан  «___» ____________ 20___ ж./г.  ___ сағ./ч. ___ мин."],
    "RU": ["Председатель участковой избирательной комиссии  ____________________  (подпись)",
           "Заместитель председателя  ____________________",
           "Секретарь  ____________________",
           "М.П.        Протокол подписан «___» ____________ 20___ года в ___ часов ___ минут"],
}


def layout(form, rows):
    """Table geometry shared by the static page and the value renderer."""
    W, H = form["page"]["width"], form["page"]["height"]
    table_rows = sorted([r for r in rows if r["line"] > 0], key=lambda r: value_rect(r)[1])
    lbs = [r["label_box"]["x"] for r in rows if r.get("label_box")]
    label_x = min(lbs) if lbs else 240
    num_x0 = label_x - 80
    value_x = min(value_rect(r)[0] for r in table_rows)
    right = max(max(value_rect(r)[2], (r["words"]["x"] + r["words"]["width"]) if r["words"] else 0)
                for r in table_rows)
    table_right = min(W - 150, right + 25)
    # blocks of rows separated by a gap larger than twice the usual one
    tops = [value_rect(r)[1] for r in table_rows]
    bots = [value_rect(r)[3] for r in table_rows]
    gaps = [tops[i + 1] - bots[i] for i in range(len(table_rows) - 1)]
    g = int(np.median(gaps)) if gaps else 40
    half = max(12, min(30, g // 2))
    blocks, cur = [], [0]
    for i, gap in enumerate(gaps):
        if gap > 1.8 * g and gap >= 80:
            blocks.append(cur)
            cur = []
        cur.append(i + 1)
    blocks.append(cur)
    bands = []   # (row, top, bottom)
    for b in blocks:
        for j, i in enumerate(b):
            top = tops[i] - half if j == 0 else (bots[i - 1] + tops[i]) // 2
            bot = bots[i] + half if j == len(b) - 1 else (bots[i] + tops[i + 1]) // 2
            bands.append((table_rows[i], top, bot, blocks.index(b)))
    return {"W": W, "H": H, "label_x": label_x, "num_x0": num_x0, "value_x": value_x, "right": table_right,
            "bands": bands, "blocks": len(blocks)}


def outline(draw, rect, t=3, fill=0):
    x0, y0, x1, y1 = rect
    draw.rectangle([x0 - t, y0 - t, x1 + t - 1, y1 + t - 1], outline=fill, width=t)


def render_static(form, election, family):
    rows = expand_fields(form, election)
    L = layout(form, rows)
    W, H = L["W"], L["H"]
    country = form.get("country", "")
    img = Image.new("L", (W, H), 255)
    d = ImageDraw.Draw(img)
    reg = form.get("registration", {})
    for m in reg.get("marks", []):
        d.rectangle([m["x"] - m["width"] // 2, m["y"] - m["height"] // 2,
                     m["x"] + (m["width"] + 1) // 2 - 1, m["y"] + (m["height"] + 1) // 2 - 1], fill=0)
    anchor_bottom = 180
    for a in reg.get("anchors", []):
        b = a["box"]
        draw_text_block(d, [a["text"]], family, (b["x"], b["y"], b["x"] + b["width"], b["y"] + b["height"]),
                        start=int(b["height"] * 0.8), minimum=20, align="center", bold=True)
        anchor_bottom = max(anchor_bottom, b["y"] + b["height"])
    header_rows = [r for r in rows if r["line"] == 0]
    first_top = min([value_rect(r)[1] for r in header_rows] + [L["bands"][0][1] - 80])
    # title and election
    title = form.get("title", {})
    el_title = election.get("title", {})
    date = str(election.get("date", ""))
    if re.match(r"\d{4}-\d\d-\d\d", date):
        date = ".".join(reversed(date.split("-")))
    parts = label_parts(title, country) + [" / ".join(label_parts(el_title, country)) + f"  {date}"]
    draw_text_block(d, parts, family, (240, anchor_bottom + 10, W - 240, first_top - 25), start=34, minimum=16,
                    align="center", bold=False)
    # header fields (precinct number etc.)
    for r in header_rows:
        x0, y0, x1, y1 = value_rect(r)
        draw_text_block(d, label_parts(r["label"], country), family, (L["label_x"], y0, x0 - 30, y1), start=32,
                        align="right", bold=True)
        draw_boxes(d, r)
    # table
    bands = L["bands"]
    nx0, lx, vx, rx = L["num_x0"], L["label_x"], L["value_x"], L["right"]
    words_x = min([r["words"]["x"] for r, *_ in bands if r["words"]] or [0])
    for bi in range(L["blocks"]):
        bb = [b for b in bands if b[3] == bi]
        top, bot = bb[0][1], bb[-1][2]
        if bi == 0:
            heads = COLUMN_HEADS.get(country, ["No", "Line", "Number", "In words"])
            htop = top - 60
            if htop > max([value_rect(r)[3] for r in header_rows] + [0]) + 15:
                d.rectangle([nx0, htop, rx, top], outline=0, width=2)
                hf = load_font(family_font(family, True, heads[1]), 24)
                cols = [(nx0, lx - 8, heads[0]), (lx - 8, vx - 18, heads[1])]
                if words_x:
                    cols += [(vx - 18, words_x - 20, heads[2]), (words_x - 20, rx, heads[3])]
                else:
                    cols += [(vx - 18, rx, heads[2])]
                for a, b, t in cols:
                    f = load_font(family_font(family, True, t), 24)
                    d.text(((a + b) / 2, (htop + top) / 2), t, font=f, fill=0, anchor="mm")
                    if a > nx0:
                        d.line([a, htop, a, top], fill=0, width=2)
        else:
            prev_bot = [b for b in bands if b[3] == bi - 1][-1][2]
            draw_text_block(d, SUBHEADINGS.get(country, ["Results"]), family, (lx, prev_bot + 8, rx, top - 8),
                            start=30, minimum=14, align="center", bold=True)
        d.rectangle([nx0, top, rx, bot], outline=0, width=3)
        d.line([lx - 8, top, lx - 8, bot], fill=0, width=2)
        d.line([vx - 18, top, vx - 18, bot], fill=0, width=2)
        if words_x:
            d.line([words_x - 20, top, words_x - 20, bot], fill=0, width=2)
        for r, t, b, _ in bb[1:]:
            d.line([nx0, t, rx, t], fill=0, width=2)
    for r, t, b, _ in bands:
        nf = load_font(family_font(family, False, "0"), 30)
        d.text(((nx0 + lx - 8) / 2, (t + b) / 2), str(r["line"]), font=nf, fill=0, anchor="mm")
        if r["choice"] and r["label_box"]:
            lb = r["label_box"]
            draw_text_block(d, choice_parts(r["label"], country), family,
                            (lb["x"], lb["y"], lb["x"] + lb["width"], lb["y"] + lb["height"]), start=34, bold=True)
        else:
            draw_text_block(d, label_parts(r["label"], country), family, (lx + 4, t + 4, vx - 40, b - 4), start=28)
        draw_boxes(d, r)
        if r["words"]:
            w = r["words"]
            outline(d, (w["x"], w["y"], w["x"] + w["width"], w["y"] + w["height"]), t=2)
    # footer: signatures, stamp, time; below the table, above the bottom marks
    y = bands[-1][2] + 70
    bottom_limit = H - 200
    ff = load_font(family_font(family, False, "Хаттама"), 28)
    for line in FOOTER.get(country, []):
        if y + 40 > bottom_limit:
            break
        f = load_font(family_font(family, False, line), 28)
        while f.getlength(line) > rx - nx0 and f.size > 16:
            f = load_font(f.path, f.size - 1)
        d.text((nx0, y), line, font=f, fill=0)
        y += 75
    return img


def draw_boxes(d, r):
    c = r["cells"]
    if c:
        for i in range(c["count"]):
            x = c["x"] + i * c["pitch"]
            outline(d, (x, c["y"], x + c["width"], c["y"] + c["height"]), t=3)
    if r["box"]:
        b = r["box"]
        outline(d, (b["x"], b["y"], b["x"] + b["width"], b["y"] + b["height"]), t=3)


# --------------------------------------------------------------------------------------------------
# Writing the values

class Ink:
    """Draws onto the page: printed digits in black, handwriting with a pen colour."""

    def __init__(self, page, rng, handwritten, mnist, hand):
        self.page, self.rng, self.hand_mode = page, rng, handwritten
        self.mnist, self.hand = mnist, hand
        self.draw = ImageDraw.Draw(page)

    # -- a glyph mask (L, ink high) for one handwritten character
    def hand_glyph(self, ch, height):
        rng, h = self.rng, self.hand
        if ch in "-xX":
            w = int(height * rng.uniform(0.55, 0.8))
            m = Image.new("L", (w + 8, height), 0)
            dd = ImageDraw.Draw(m)
            lw = h["stroke"]
            if ch == "-":
                y = height // 2 + int(rng.integers(-6, 7))
                dd.line([2, y + int(rng.integers(-4, 5)), w + 4, y + int(rng.integers(-4, 5))], fill=255, width=lw)
            else:
                dd.line([3, 6, w + 3, height - 6], fill=255, width=lw)
                dd.line([w + 3, 8, 4, height - 4], fill=255, width=lw)
            return m
        if h["source"] == "mnist":
            imgs, idx = self.mnist
            pick = idx[int(ch)][int(rng.integers(len(idx[int(ch)])))]
            a = imgs[pick]
            ys, xs = np.nonzero(a > 40)
            a = a[ys.min():ys.max() + 1, xs.min():xs.max() + 1]
            g = Image.fromarray(a)
            scale = height / a.shape[0]
            g = g.resize((max(4, int(a.shape[1] * scale)), height), Image.BILINEAR)
            lo = h["mnist_threshold"]
            lut = [0 if v < lo else min(255, int((v - lo) * 255 / max(1, 200 - lo))) for v in range(256)]
            g = g.point(lut)
        else:
            f = load_font(h["font"], h["font_size"])
            bb = f.getbbox(ch)
            g = Image.new("L", (bb[2] - bb[0] + 4, bb[3] - bb[1] + 4), 0)
            ImageDraw.Draw(g).text((2 - bb[0], 2 - bb[1]), ch, font=f, fill=255)
            scale = height / g.height
            g = g.resize((max(4, int(g.width * scale)), height), Image.BILINEAR)
            if h["stroke"] > 5:
                g = g.filter(ImageFilter.MaxFilter(3))
        ang = rng.uniform(-7, 7) + h["slant"]
        return g.rotate(ang, resample=Image.BILINEAR, expand=True)

    def paste(self, mask, x, y):
        """Pastes a glyph mask with its top-left at (x, y) in the pen colour and pressure."""
        h = self.hand
        alpha = h["pressure"] * self.rng.uniform(0.85, 1.0)
        m = mask.point(lambda v: int(v * alpha))
        self.page.paste(h["colour"], (int(x), int(y), int(x) + m.width, int(y) + m.height), m)

    # -- printed
    def printed_char(self, ch, cx, cy, font):
        j = self.rng.integers(-3, 4, size=2)
        self.draw.text((cx + j[0], cy + j[1]), ch, font=font, fill=0, anchor="mm")

    def cells(self, c, text, pad, style):
        n = c["count"]
        chars = [""] * (n - len(text)) + list(text)
        if pad in ("zero", "dash", "x"):
            chars = [{"zero": "0", "dash": "-", "x": "X"}[pad] if ch == "" else ch for ch in chars]
        for i, ch in enumerate(chars):
            if not ch:
                continue
            x = c["x"] + i * c["pitch"]
            if self.hand_mode:
                hgt = int(c["height"] * self.rng.uniform(0.62, 0.82) * self.hand["size"])
                g = self.hand_glyph(ch, min(hgt, c["height"] - 6))
                cx = x + c["width"] / 2 + self.rng.uniform(-0.1, 0.1) * c["width"]
                cy = c["y"] + c["height"] / 2 + self.rng.uniform(-0.08, 0.08) * c["height"]
                self.paste(g, cx - g.width / 2, cy - g.height / 2)
            else:
                f = load_font(style["digit_font"], int(c["height"] * style["digit_scale"]))
                self.printed_char(ch, x + c["width"] / 2, c["y"] + c["height"] / 2, f)

    def free(self, b, text, align, style, margin=18):
        x0, y0, x1, y1 = b["x"] + margin, b["y"], b["x"] + b["width"] - margin, b["y"] + b["height"]
        if self.hand_mode:
            hgt = int(b["height"] * self.rng.uniform(0.6, 0.8) * self.hand["size"])
            glyphs = [self.hand_glyph(ch, min(hgt, b["height"] - 8)) for ch in text]
            gaps = [int(self.rng.uniform(-0.18, 0.35) * g.width) for g in glyphs[:-1]]  # < 0: touching
            total = sum(g.width for g in glyphs) + sum(gaps)
            x = x1 - total if align == "right" else (x0 + x1 - total) / 2
            x = max(x0 - margin + 4, x)
            base = (y0 + y1) / 2
            for i, g in enumerate(glyphs):
                self.paste(g, x, base - g.height / 2 + self.rng.uniform(-6, 6))
                x += g.width + (gaps[i] if i < len(gaps) else 0)
        else:
            f = load_font(style["digit_font"], int(b["height"] * style["digit_scale"]))
            w = f.getlength(text)
            x = x1 - w if align == "right" else (x0 + x1 - w) / 2
            j = self.rng.integers(-3, 4, size=2)
            self.draw.text((x + j[0], (y0 + y1) / 2 + j[1]), text, font=f, fill=0, anchor="lm")

    def words(self, b, text, style):
        rect = (b["x"] + 10, b["y"] + 4, b["x"] + b["width"] - 8, b["y"] + b["height"] - 4)
        if self.hand_mode:
            p = self.hand["word_font"]
            for size in range(46, 15, -2):
                f = load_font(p, size)
                ls = wrap(text, f, rect[2] - rect[0])
                if len(ls) * size * 1.25 <= rect[3] - rect[1]:
                    break
            m = Image.new("L", (rect[2] - rect[0], rect[3] - rect[1]), 0)
            dd = ImageDraw.Draw(m)
            y = (m.height - len(ls) * size * 1.25) / 2
            for line in ls:
                dd.text((self.rng.uniform(0, 8), y), line, font=f, fill=255)
                y += size * 1.25
            self.paste(m.rotate(self.rng.uniform(-1, 1), resample=Image.BILINEAR), rect[0], rect[1])
        else:
            fam = style["family"]
            for size in range(34, 13, -1):
                f = load_font(family_font(fam, False, text), size)
                ls = wrap(text, f, rect[2] - rect[0])
                if len(ls) * size * 1.15 <= rect[3] - rect[1]:
                    break
            y = rect[1] + (rect[3] - rect[1] - len(ls) * size * 1.15) / 2
            for line in ls:
                self.draw.text((rect[0], y), line, font=f, fill=0)
                y += size * 1.15

    def strike(self, x0, x1, yc):
        lw = max(3, self.hand["stroke"])
        for _ in range(int(self.rng.integers(1, 3))):
            dy = self.rng.uniform(-12, 12)
            m = Image.new("L", (int(x1 - x0) + 20, 60), 0)
            ImageDraw.Draw(m).line([5, 30 + dy + self.rng.uniform(-8, 8), m.width - 5,
                                    30 - dy + self.rng.uniform(-8, 8)], fill=255, width=lw)
            self.paste(m, x0 - 10, yc - 30)


def write_values(page, form, rows, values, style, rng, ink, correction):
    """Writes every value; correction = (key, wrong) or None: that field shows the struck wrong number and
    the final value written beside it (to the right of the boxes, or after it inside a free cell)."""
    W = form["page"]["width"]
    records = []
    for r in rows:
        k = r["key"]
        if k not in values:
            continue
        text = str(values[k])
        if r["kind"] == "count":
            pad = style["padding"]
        else:
            pad = "none"
        if correction and correction[0] == k:
            wrong = str(correction[1])
            if r["cells"]:
                c = r["cells"]
                ink.cells(c, wrong, "none", style)
                x_start = c["x"] + (c["count"] - len(wrong)) * c["pitch"]
                x_end = c["x"] + (c["count"] - 1) * c["pitch"] + c["width"]
                ink.strike(x_start, x_end, c["y"] + c["height"] / 2)
                right_limit = r["words"]["x"] - 10 if r["words"] else W - 170
                fb = {"x": x_end + 10, "y": c["y"] + 5, "width": right_limit - x_end - 10,
                      "height": int(c["height"] * 0.85)}
                ink.free(fb, text, "center", style, margin=4)
            else:
                b = r["box"]
                half = {"x": b["x"], "y": b["y"] + 10, "width": b["width"] // 2, "height": b["height"] - 20}
                ink.free(half, wrong, "center", style, margin=6)
                ink.strike(b["x"] + 10, b["x"] + b["width"] // 2 - 10, b["y"] + b["height"] / 2)
                rest = {"x": b["x"] + b["width"] // 2, "y": b["y"], "width": b["width"] // 2,
                        "height": b["height"]}
                ink.free(rest, text, "center", style, margin=6)
            records.append({"key": k, "struck": int(wrong), "final": values[k]})
        elif r["cells"]:
            ink.cells(r["cells"], text, pad, style)
        elif r["box"]:
            ink.free(r["box"], text, style["align"], style)
        if r["words"] and r["kind"] == "count":
            ink.words(r["words"], number_words(values[k], style.get("words_language", "ru")), style)
    return records


# --------------------------------------------------------------------------------------------------
# Degradations

@lru_cache(maxsize=1)
def noise_tile():
    return np.random.default_rng(12345).standard_normal((1024, 1024)).astype(np.float32)


def tiled_noise(rng, h, w, channels=0):
    t = noise_tile()
    oy, ox = int(rng.integers(0, 1024)), int(rng.integers(0, 1024))
    r = (np.arange(h) + oy) % 1024
    c = (np.arange(w) + ox) % 1024
    n = t[np.ix_(r, c)]
    if channels:
        n = np.stack([n, np.roll(n, 317, axis=0), np.roll(n, 511, axis=1)], axis=2)
    return n


def rotate_point(x, y, cx, cy, deg):
    a = math.radians(deg)
    dx, dy = x - cx, y - cy
    return cx + dx * math.cos(a) + dy * math.sin(a), cy - dx * math.sin(a) + dy * math.cos(a)


def degrade_scan(page, rng, marks):
    W, H = page.size
    ang = float(rng.uniform(-1, 1))
    gray = page.mode == "L"
    out = page.rotate(ang, resample=Image.BILINEAR, fillcolor=255 if gray else (255, 255, 255))
    dust = int(rng.integers(0, 30))
    dd = ImageDraw.Draw(out)
    for _ in range(dust):                      # specks of dust on the glass
        x, y, r = rng.uniform(0, W), rng.uniform(0, H), rng.uniform(0.7, 2.5)
        dd.ellipse([x - r, y - r, x + r, y + r], fill=int(rng.integers(60, 180)) if gray else (90, 90, 90))
    a = np.asarray(out, dtype=np.float32)
    paper = float(rng.uniform(236, 252))
    ink = float(rng.uniform(10, 45))
    a = ink + a * ((paper - ink) / 255.0)
    sigma = float(rng.uniform(0.8, 2.5))
    # sensor noise on ink and edges; the blank paper stays flat, as a scanner's white point clips it
    a += sigma * tiled_noise(rng, H, W, 0 if gray else 3) * (a < paper - 3)
    out = Image.fromarray(np.clip(a, 0, 255).astype(np.uint8), "L" if gray else "RGB")
    fmt = "png" if rng.random() < 0.5 else "jpg"
    ms = [[round(v, 1) for v in rotate_point(m[0], m[1], W / 2, H / 2, ang)] for m in marks]
    params = {"rotation_deg": round(ang, 3), "noise_sigma": round(sigma, 2), "dust_specks": dust,
              "paper_level": round(paper, 1),
              "ink_level": round(ink, 1), "quarter_turns": 0, "perspective": 0.0, "blur_sigma": 0.0,
              "jpeg_quality": 90 if fmt == "jpg" else None, "background": None, "color": "gray" if gray else "rgb",
              "size": [W, H], "page_corners": [[round(v, 1) for v in rotate_point(x, y, W / 2, H / 2, ang)]
                                               for x, y in [(0, 0), (W, 0), (W, H), (0, H)]],
              "marks": ms}
    return out, fmt, params


def homography(src, dst):
    """3x3 H with dst ~ H @ src for four point pairs."""
    A, b = [], []
    for (x, y), (u, v) in zip(src, dst):
        A.append([x, y, 1, 0, 0, 0, -u * x, -u * y]); b.append(u)
        A.append([0, 0, 0, x, y, 1, -v * x, -v * y]); b.append(v)
    h = np.linalg.solve(np.array(A, float), np.array(b, float))
    return np.append(h, 1).reshape(3, 3)


def apply_h(Hm, x, y):
    p = Hm @ np.array([x, y, 1.0])
    return p[0] / p[2], p[1] / p[2]


def background(rng, w, h):
    kind = ["wood", "laminate", "cloth", "concrete"][int(rng.integers(4))]
    sw, sh = max(8, w // 8), max(8, h // 8)
    if kind == "wood":
        base = np.array([rng.uniform(110, 160), rng.uniform(70, 105), rng.uniform(35, 60)])
        n = rng.standard_normal((sh, max(2, sw // 30)))
        grain = np.asarray(Image.fromarray(n.astype(np.float32)).resize((sw, sh), Image.BICUBIC))
        fine = rng.standard_normal((sh, sw)) * 0.3
        t = (grain * 0.7 + fine)[..., None] * 14
    elif kind == "laminate":
        base = np.full(3, rng.uniform(90, 170)) + rng.uniform(-10, 10, 3)
        t = rng.standard_normal((sh, sw))[..., None] * 5
    elif kind == "cloth":
        base = np.array([rng.uniform(20, 60), rng.uniform(25, 60), rng.uniform(40, 90)])
        t = rng.standard_normal((sh, sw))[..., None] * 8
    else:
        base = np.full(3, rng.uniform(100, 150))
        lo = rng.standard_normal((sh // 8 + 2, sw // 8 + 2)).astype(np.float32)
        lo = np.asarray(Image.fromarray(lo).resize((sw, sh), Image.BICUBIC))
        t = (lo * 12 + rng.standard_normal((sh, sw)) * 6)[..., None]
    a = np.clip(base[None, None, :] + t, 0, 255).astype(np.uint8)
    return kind, Image.fromarray(a, "RGB").resize((w, h), Image.BILINEAR)


def degrade_photo(page, rng, marks):
    Wp, Hp = page.size
    L = int(rng.integers(2000, 2601))
    Wo, Ho = int(round(L * 0.75)), L
    ang = float(rng.uniform(-8, 8))
    persp = float(rng.uniform(0, 0.04))
    fill = float(rng.uniform(0.78, 0.94))
    ph = Ho * fill
    pw = ph * Wp / Hp
    cx = Wo / 2 + rng.uniform(-0.03, 0.03) * Wo
    cy = Ho / 2 + rng.uniform(-0.03, 0.03) * Ho
    base = [(-pw / 2, -ph / 2), (pw / 2, -ph / 2), (pw / 2, ph / 2), (-pw / 2, ph / 2)]
    a = math.radians(ang)
    quad = []
    for x, y in base:
        x, y = x + rng.uniform(-persp, persp) * pw, y + rng.uniform(-persp, persp) * ph
        quad.append((x * math.cos(a) - y * math.sin(a), x * math.sin(a) + y * math.cos(a)))
    # keep the whole page in the frame with a small margin
    m = 0.015 * Wo
    s = min(1.0, min(min((Wo / 2 - m) / max(abs(x), 1), (Ho / 2 - m) / max(abs(y), 1)) for x, y in quad))
    s = min(s, min((Wo / 2 - m - abs(cx - Wo / 2)) / max(abs(x), 1) for x, _ in quad),
            min((Ho / 2 - m - abs(cy - Ho / 2)) / max(abs(y), 1) for _, y in quad))
    quad = [(cx + x * s, cy + y * s) for x, y in quad]
    # warp at about the final scale
    scale = min(1.0, (pw * s * 1.1) / Wp)
    small = page.convert("RGB").resize((int(Wp * scale), int(Hp * scale)), Image.BILINEAR) if scale < 1 else page.convert("RGB")
    sw, sh = small.size
    tint = np.array([1.0, rng.uniform(0.96, 1.0), rng.uniform(0.86, 0.97)])
    src_small = [(0, 0), (sw, 0), (sw, sh), (0, sh)]
    Hinv = homography(quad, src_small)                        # output -> small page
    coeffs = (Hinv / Hinv[2, 2]).flatten()[:8]
    warped = small.transform((Wo, Ho), Image.PERSPECTIVE, tuple(coeffs), Image.BICUBIC)
    mask = Image.new("L", (Wo, Ho), 0)
    ImageDraw.Draw(mask).polygon(quad, fill=255)
    bg_kind, bg = background(rng, Wo, Ho)
    # soft drop shadow of the page on the desk
    sh_off = rng.uniform(-15, 15, 2)
    shadow = Image.new("L", (Wo // 4, Ho // 4), 0)
    ImageDraw.Draw(shadow).polygon([((x + sh_off[0]) / 4, (y + sh_off[1] + 10) / 4) for x, y in quad], fill=120)
    shadow = shadow.filter(ImageFilter.GaussianBlur(6)).resize((Wo, Ho), Image.BILINEAR)
    bg = Image.composite(Image.new("RGB", (Wo, Ho), (0, 0, 0)), bg, shadow)
    out = Image.composite(warped, bg, mask)
    # illumination: linear gradient + vignette + optional shadow band, built small and upsampled
    gw, gh = Wo // 16, Ho // 16
    yy, xx = np.mgrid[0:gh, 0:gw].astype(np.float32)
    xx, yy = xx / gw - 0.5, yy / gh - 0.5
    phi = rng.uniform(0, 2 * math.pi)
    strength = float(rng.uniform(0.1, 0.35))
    light = 1.0 - strength * (0.5 + (xx * math.cos(phi) + yy * math.sin(phi)))
    light *= 1.0 - rng.uniform(0.05, 0.2) * (xx ** 2 + yy ** 2) * 2
    band = None
    if rng.random() < 0.5:
        bphi = rng.uniform(0, math.pi)
        off = rng.uniform(-0.35, 0.35)
        width = rng.uniform(0.04, 0.15)
        dark = rng.uniform(0.15, 0.4)
        dist = xx * math.cos(bphi) + yy * math.sin(bphi) - off
        light *= 1.0 - dark * np.exp(-(dist / width) ** 2)
        band = {"angle_deg": round(math.degrees(bphi), 1), "offset": round(off, 3), "width": round(width, 3),
                "darkness": round(dark, 3)}
    light_img = Image.fromarray(light.astype(np.float32)).resize((Wo, Ho), Image.BILINEAR)
    sigma_blur = float(rng.uniform(0.5, 1.5))
    out = out.filter(ImageFilter.GaussianBlur(sigma_blur))
    arr = np.asarray(out, dtype=np.float32) * np.asarray(light_img)[..., None] * tint[None, None, :]
    noise = float(rng.uniform(2, 6))
    arr += noise * tiled_noise(rng, Ho, Wo, 3)
    out = Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8), "RGB")
    # points: page px -> output px
    Hf = homography([(0, 0), (Wp, 0), (Wp, Hp), (0, Hp)], quad)
    pts_m = [apply_h(Hf, mx, my) for mx, my in marks]
    pts_c = list(quad)
    k = 0
    if rng.random() < 0.1:
        k = int(rng.integers(1, 4))
        out = out.transpose([None, Image.ROTATE_90, Image.ROTATE_180, Image.ROTATE_270][k])

        def turn(p):
            x, y = p
            for _ in range(k):                 # one counter-clockwise quarter turn of a w x h image
                x, y = y, (Wo if _ % 2 == 0 else Ho) - x
            return x, y
        pts_m = [turn(p) for p in pts_m]
        pts_c = [turn(p) for p in pts_c]
    q = int(rng.integers(50, 71))
    params = {"rotation_deg": round(ang, 3), "perspective": round(persp, 4), "page_fill": round(fill * s, 3),
              "quarter_turns": k, "blur_sigma": round(sigma_blur, 3), "noise_sigma": round(noise, 2),
              "illumination": {"gradient_angle_deg": round(math.degrees(phi), 1), "strength": round(strength, 3)},
              "shadow_band": band, "tint": [round(float(t), 3) for t in tint], "background": bg_kind,
              "jpeg_quality": q, "color": "rgb", "size": list(out.size),
              "page_corners": [[round(float(v), 1) for v in p] for p in pts_c],
              "marks": [[round(float(v), 1) for v in p] for p in pts_m]}
    return out, "jpg", params


# --------------------------------------------------------------------------------------------------
# One protocol

class Context:
    def __init__(self, args):
        self.args = args
        self.forms, self.elections = load_forms(ROOT / "seeds" / "forms", ROOT / "seeds" / "elections")
        if args.forms in (None, "", "all"):
            self.form_ids = []
            for fid in sorted(self.forms):
                why = self.unsupported(self.forms[fid])
                if why:
                    if not args.quiet:
                        print(f"note: skipping {fid}: {why}", file=sys.stderr)
                else:
                    self.form_ids.append(fid)
        else:
            self.form_ids = [f.strip() for f in args.forms.split(",") if f.strip()]
            for f in self.form_ids:
                if f not in self.forms:
                    raise SystemExit(f"unknown form {f}; have {', '.join(sorted(self.forms))}")
                why = self.unsupported(self.forms[f])
                if why:
                    raise SystemExit(f"cannot generate {f}: {why}")
        self.mnist = None
        p = Path(args.digits) if args.digits else None
        if p and not p.is_absolute():
            p = (Path.cwd() / p) if (Path.cwd() / p).exists() else ROOT / p
        if p and p.exists():
            d = np.load(p)
            imgs, labels = d["images"], d["labels"]
            self.mnist = (imgs, {k: np.nonzero(labels == k)[0] for k in range(10)})
            self.mnist_path = str(p)
        self.static = {}

    def unsupported(self, form):
        """Why the generator cannot make this form (None when it can). The page renderer assumes a
        300 dpi A4-like reference page; the value model knows the KZ and RU line sets."""
        if form.get("page", {}).get("dpi", 300) < 150 or form["page"]["width"] < 1500:
            return "reference page below 150 dpi / 1500 px; the renderer's layout assumes a 300 dpi page"
        els = form.get("elections") or []
        if not els or els[0] not in self.elections:
            return "its default election file is missing"
        rows = expand_fields(form, self.elections[els[0]])
        rng = np.random.default_rng(0)
        for _ in range(5):
            v = make_values(rng, rows, form)
            broken = broken_relations(form, v, [r["key"] for r in rows])
            if broken:
                return f"the value model does not know its lines (random values break {', '.join(broken)})"
        return None

    def static_page(self, form, election, family):
        key = (form["id"], election["id"], family)
        if key not in self.static:
            if len(self.static) > 12:
                self.static.pop(next(iter(self.static)))
            self.static[key] = render_static(form, election, family)
        return self.static[key]


def unique_precinct_number(i: int, cells: int) -> int:
    """Precinct number of protocol i under --unique-precincts: i + 1, which must fit the form's cells."""
    if i + 1 >= 10 ** cells:
        raise SystemExit(f"--unique-precincts: protocol {i} needs precinct number {i + 1}, "
                         f"more digits than the form's {cells} cells; generate fewer protocols")
    return i + 1


def render_one(ctx: Context, i: int):
    a = ctx.args
    rng = np.random.default_rng([a.seed, i])
    form = ctx.forms[ctx.form_ids[i % len(ctx.form_ids)]]
    election = ctx.elections[form["elections"][0]]
    rows = expand_fields(form, election)
    keys = [r["key"] for r in rows]
    country = form.get("country", "")
    families = list(PRINT_FAMILIES)
    family = families[int(rng.integers(len(families)))]
    handwritten = bool(a.handwritten)
    # values
    values = make_values(rng, rows, form)
    base_broken = broken_relations(form, values, keys)
    if base_broken:
        raise RuntimeError(f"{form['id']}: generated values break {base_broken}; teach make_values the template")
    inconsistency = None
    if rng.random() < a.inconsistent_share:
        values, inconsistency = make_inconsistent(rng, form, rows, values)
    prow = next((r for r in rows if r["kind"] == "precinct_id"), None)
    precinct = None
    if prow:
        n = prow["cells"]["count"] if prow["cells"] else 4
        num = int(rng.integers(1, min(10 ** n, 4000)))
        if a.unique_precincts:                    # drawn above all the same: the values stay those of the seed
            num = unique_precinct_number(i, n)
        precinct = str(num).zfill(n) if rng.random() < 0.5 else str(num)
    # style
    digit_family = families[int(rng.integers(len(families)))] if rng.random() < 0.5 else family
    style = {"family": family, "digit_family": digit_family,
             "digit_font": family_font(digit_family, rng.random() < 0.3, "0123456789"),
             "digit_scale": float(rng.uniform(0.55, 0.72)),
             "align": "right" if rng.random() < 0.6 else "center"}
    if handwritten:
        style["padding"] = ["none", "none", "zero", "dash", "x"][int(rng.integers(5))]
    else:
        style["padding"] = "zero" if rng.random() < 0.3 else "none"
    if not any(r["cells"] for r in rows if r["kind"] == "count"):
        style["padding"] = "none"                            # free cells are never padded
    # The words language draws from rng only when asked for, so default corpora stay as they were.
    words_language = a.words_language if a.words_language != "mixed" else ("kk" if rng.random() < 0.5 else "ru")
    style["words_language"] = words_language
    word_fonts = hand_word_fonts(KK_LETTERS if words_language == "kk" else RU_LETTERS)
    hand = None
    if handwritten:
        fonts = hand_fonts()
        use_mnist = ctx.mnist is not None and (rng.random() < 0.6 or not fonts)
        blue = rng.random() < 0.6
        colour = (tuple(int(x) for x in (rng.integers(10, 50), rng.integers(30, 90), rng.integers(120, 200)))
                  if blue else tuple([int(rng.integers(15, 60))] * 3))
        hand = {"source": "mnist" if use_mnist else "font",
                "font": None if use_mnist else fonts[int(rng.integers(len(fonts)))],
                "font_size": 90, "colour": colour, "pressure": float(rng.uniform(0.55, 1.0)),
                "stroke": int(rng.integers(3, 8)), "slant": float(rng.uniform(-8, 8)),
                "size": float(rng.uniform(0.85, 1.1)), "mnist_threshold": int(rng.integers(30, 140)),
                "word_font": word_fonts[int(rng.integers(len(word_fonts)))]}
    page = ctx.static_page(form, election, family).copy()
    if handwritten:
        page = page.convert("RGB")
    ink = Ink(page, rng, handwritten, ctx.mnist, hand)
    all_values = dict(values)
    if prow:
        all_values[prow["key"]] = precinct
    correction = None
    if handwritten and rng.random() < 0.3:
        cand = [r for r in rows if r["kind"] == "count" and (r["box"] or r["cells"])]
        r = cand[int(rng.integers(len(cand)))]
        v = values[r["key"]]
        for _ in range(20):
            wrong = max(0, v + int(rng.choice([-1, 1])) * int(rng.integers(1, 10)) * 10 ** int(rng.integers(0, 2)))
            if wrong != v and wrong <= capacity(r) and (not r["cells"] or len(str(wrong)) <= r["cells"]["count"]):
                correction = (r["key"], wrong)
                break
    corrections = write_values(page, form, rows, all_values, style, rng, ink, correction)
    # degrade
    marks = [(m["x"], m["y"]) for m in form.get("registration", {}).get("marks", [])]
    photo = rng.random() < a.photo_share
    if photo:
        img, fmt, params = degrade_photo(page, rng, marks)
    else:
        img, fmt, params = degrade_scan(page, rng, marks)
    name = f"{form['id']}-{i:04d}"
    fname = f"{name}.{fmt}"
    out = Path(a.out)
    if fmt == "jpg":
        img.save(out / fname, "JPEG", quality=params["jpeg_quality"])
    else:
        img.save(out / fname, "PNG", compress_level=a.png_level)
    render = {"font": family, "digit_font": Path(style["digit_font"]).stem,
              "padding": style["padding"], "align": style["align"]}
    if hand:
        render["hand"] = {"digit_source": hand["source"],
                          "font": Path(hand["font"]).stem if hand["font"] else None,
                          "colour": list(hand["colour"]), "pressure": round(hand["pressure"], 3),
                          "word_font": Path(hand["word_font"]).stem}
        if hand["source"] == "mnist":
            render["hand"]["mnist_file"] = os.path.relpath(ctx.mnist_path, ROOT)
    if words_language != "ru":
        render["words_language"] = words_language
    render["corrections"] = corrections
    render.update(params)
    truth_values = {}
    for r in rows:
        truth_values[r["key"]] = all_values.get(r["key"])
    broken = broken_relations(form, values, keys)
    truth = {"schema": "hattama.truth/1", "image": fname, "form": form["id"], "form_version": form["version"],
             "election": election["id"], "precinct": precinct, "values": truth_values,
             "consistent": not broken, "broken_relations": broken, "inconsistency": inconsistency,
             "degradation": "photo" if photo else "scan", "handwritten": handwritten,
             "render": render, "generator": {"version": GENERATOR_VERSION, "seed": a.seed, "index": i}}
    with open(out / f"{name}.truth.json", "w", encoding="utf-8") as f:
        json.dump(truth, f, ensure_ascii=False, indent=1)
    return {"image": fname, "form": form["id"], "degradation": truth["degradation"], "consistent": not broken}


_CTX = None


def _init(args):
    global _CTX
    _CTX = Context(args)


def _work(i):
    return render_one(_CTX, i)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", required=True, help="output directory (created)")
    ap.add_argument("--count", type=int, required=True, help="number of protocols")
    ap.add_argument("--forms", default="all", help="comma-separated form ids, or all (default)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--start", type=int, default=0, help="first index (to extend a corpus deterministically)")
    ap.add_argument("--photo-share", type=float, default=0.5)
    ap.add_argument("--inconsistent-share", type=float, default=0.1)
    ap.add_argument("--handwritten", action="store_true", help="handwritten digits instead of printed ones")
    ap.add_argument("--digits", default="seeds/digits/mnist_heldout.npz",
                    help="held-out MNIST digits (npz: images Nx28x28 ink high, labels) for --handwritten")
    ap.add_argument("--png-level", type=int, default=3, help="zlib level of PNG output (speed vs size)")
    ap.add_argument("--jobs", type=int, default=1)
    ap.add_argument("--unique-precincts", action="store_true",
                    help="precinct number of protocol i is i + 1 (one election with distinct precincts); "
                         "the counts are those drawn without the flag")
    ap.add_argument("--words-language", choices=["ru", "kk", "mixed"], default="ru",
                    help="language of the numbers in words (forms with a words column): Russian (default), Kazakh, "
                         "or either at random per protocol")
    ap.add_argument("--no-manifest", action="store_true", help="do not write DIR/corpus.json")
    ap.add_argument("--quiet", action="store_true")
    a = ap.parse_args(argv)
    Path(a.out).mkdir(parents=True, exist_ok=True)
    t0 = time.time()
    idx = range(a.start, a.start + a.count)
    results = []
    if a.jobs > 1:
        import multiprocessing as mp
        with mp.get_context("fork").Pool(a.jobs, initializer=_init, initargs=(a,)) as pool:
            for r in pool.imap_unordered(_work, idx, chunksize=4):
                results.append(r)
    else:
        _init(a)
        if a.handwritten and _CTX.mnist is None:
            print(f"note: {a.digits} not found; handwritten digits come from handwriting fonts only",
                  file=sys.stderr)
        for i in idx:
            results.append(_work(i))
            if not a.quiet and (len(results) % 50 == 0):
                print(f"{len(results)}/{a.count}", file=sys.stderr)
    dt = time.time() - t0
    results.sort(key=lambda r: r["image"])
    manifest = {"schema": "hattama.corpus/1", "argv": sys.argv[1:] if argv is None else argv,
                "seed": a.seed, "count": a.count, "start": a.start, "generator_version": GENERATOR_VERSION,
                "items": results}
    if not a.no_manifest:
        mf = Path(a.out) / ("corpus.json" if a.start == 0 else f"corpus-{a.start}.json")
        with open(mf, "w", encoding="utf-8") as f:
            json.dump(manifest, f, ensure_ascii=False, indent=1)
    if not a.quiet:
        print(f"{a.count} protocols in {dt:.1f} s ({a.count / max(dt, 1e-9):.2f}/s) -> {a.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
