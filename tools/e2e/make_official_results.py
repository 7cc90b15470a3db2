#!/usr/bin/env python3
"""Official results "published" for a generated election, with a known set of precincts altered.

Reads the truth files of a corpus made with `tools/corpus/generate.py --unique-precincts` (DIR/*.truth.json,
"precinct" and "values") and writes, as a central commission might publish them:
  OUT/official.csv       UTF-8 with BOM, `;` separators, CRLF, Russian headers (the form's labels and the
                         candidates' names), zero-padded precinct numbers, `1 234` with a no-break space, an
                         extra column the mapping ignores;
  OUT/mapping.yaml       which header is which field key;
  OUT/alterations.json   what was changed: votes added to one candidate, two candidates swapped, precincts left
                         out (a protocol with no official row) and rows with no protocol; with --records (the
                         store's `hattama export --format jsonl`), also votes added on fields the digitizer left
                         uncertain, which the comparison must call not yet decidable.
Alterations are made only on protocols that are consistent as written (an inconsistent form is a form defect
whatever the official file says). Deterministic from --seed.
"""
from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
PRECINCT_HEADER = "Номер УИК"
NOTE_HEADER = "Примечание"


def load_truths(folders: list[Path]) -> list[dict]:
    truths = [json.loads(p.read_text(encoding="utf-8")) for folder in folders for p in sorted(folder.rglob("*.truth.json"))]
    folder = ", ".join(map(str, folders))
    if not truths:
        raise SystemExit(f"{folder}: no *.truth.json files; generate the corpus first")
    elections = {t["election"] for t in truths}
    if len(elections) != 1:
        raise SystemExit(f"{folder}: protocols of several elections ({', '.join(sorted(elections))}); use one form's election")
    ids = [int(t["precinct"]) for t in truths]
    if len(set(ids)) != len(ids):
        raise SystemExit(f"{folder}: precinct numbers repeat; generate with --unique-precincts")
    return truths


def headers_for(truth: dict) -> dict[str, str]:
    """Field key -> published header: the form's Russian label, or the candidate's name."""
    form = yaml.safe_load((ROOT / "seeds/forms" / f"{truth['form']}.yaml").read_text(encoding="utf-8"))
    election = yaml.safe_load((ROOT / "seeds/elections" / f"{truth['election']}.yaml").read_text(encoding="utf-8"))
    out = {}
    for field in form["fields"]:
        label = field.get("label") or {}
        if field.get("kind", "count") == "count" and "key" in field:
            out[field["key"]] = label.get("ru") or label.get("en") or field["key"]
    for choice in election["choices"]:
        out[choice["key"]] = choice["name"].get("ru") or choice["name"].get("en") or choice["key"]
    return out


def grouped(n: int) -> str:
    """1 234 with a no-break space, as many commissions publish counts."""
    return f"{n:,}".replace(",", "\u00a0")


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--truth", required=True, nargs="+", help="folders of the generated corpus (*.truth.json)")
    ap.add_argument("--out", required=True, help="folder for official.csv, mapping.yaml, alterations.json")
    ap.add_argument("--seed", type=int, default=5)
    ap.add_argument("--added", type=int, default=12, help="precincts with votes added to one candidate")
    ap.add_argument("--swapped", type=int, default=8, help="precincts with two candidates' votes swapped")
    ap.add_argument("--missing", type=int, default=3, help="precincts left out of the official file")
    ap.add_argument("--extra", type=int, default=2, help="official rows for precincts with no protocol")
    ap.add_argument("--records", help="the store's records (hattama export --format jsonl), to alter uncertain fields")
    ap.add_argument("--on-uncertain", type=int, default=3, help="with --records: precincts with an uncertain field altered")
    a = ap.parse_args(argv)

    truths = load_truths([Path(t) for t in a.truth])
    headers = headers_for(truths[0])
    keys = [k for k in truths[0]["values"] if k != "precinct_id" and k in headers]
    candidates = [k for k in keys if k.startswith("votes.")]
    rng = random.Random(a.seed)

    consistent = [t for t in truths if t["consistent"]]
    pool = sorted(consistent, key=lambda t: int(t["precinct"]))
    rng.shuffle(pool)
    if a.added + a.swapped + a.missing > len(pool):
        raise SystemExit("not enough consistent protocols for that many alterations")
    added = pool[:a.added]
    swapped = []
    rest = pool[a.added:]
    while len(swapped) < a.swapped:
        t = rest.pop(0)
        if len({t["values"][c] for c in candidates}) > 1:
            swapped.append(t)
    missing = rest[:a.missing]

    alterations = {"schema": "hattama.e2e-alterations/1", "election": truths[0]["election"],
                   "protocols": len(truths), "fields": [], "missing": [], "extra": [],
                   "inconsistent": sorted(int(t["precinct"]) for t in truths if not t["consistent"])}
    published: dict[int, dict[str, int]] = {int(t["precinct"]): {k: t["values"][k] for k in keys} for t in truths}
    for t in added:
        pid, key = int(t["precinct"]), rng.choice(candidates)
        extra = rng.randint(1, 300)
        published[pid][key] += extra
        alterations["fields"].append({"precinct": str(pid), "key": key, "kind": "added_votes",
                                      "protocol": t["values"][key], "official": published[pid][key]})
    for t in swapped:
        pid = int(t["precinct"])
        while True:
            x, y = rng.sample(candidates, 2)
            if t["values"][x] != t["values"][y]:
                break
        published[pid][x], published[pid][y] = t["values"][y], t["values"][x]
        for key in (x, y):
            alterations["fields"].append({"precinct": str(pid), "key": key, "kind": "swapped",
                                          "protocol": t["values"][key], "official": published[pid][key]})
    for t in missing:
        del published[int(t["precinct"])]
        alterations["missing"].append(str(int(t["precinct"])))
    top = max(int(t["precinct"]) for t in truths)
    for n in range(a.extra):
        pid = top + 101 + n
        published[pid] = {k: rng.randint(0, 400) for k in keys}
        alterations["extra"].append(str(pid))

    if a.records:
        chosen = {int(t["precinct"]) for t in added + swapped + missing}
        written = {int(t["precinct"]): t for t in consistent}
        uncertain = []
        for line in Path(a.records).read_text(encoding="utf-8").splitlines():
            record = json.loads(line)
            pid = int(record["precinct"]) if (record.get("precinct") or "").isdigit() else None
            if pid is None or pid in chosen or pid not in written or record.get("status") == "inconsistent":
                continue
            fields = [k for k in keys if record.get(f"{k}.status") == "uncertain"]
            if fields:
                uncertain.append((pid, fields))
        for pid, fields in rng.sample(sorted(uncertain), min(a.on_uncertain, len(uncertain))):
            key = fields[0]
            published[pid][key] = written[pid]["values"][key] + rng.randint(1, 300)
            alterations["fields"].append({"precinct": str(pid), "key": key, "kind": "added_votes_on_uncertain_field",
                                          "protocol": written[pid]["values"][key], "official": published[pid][key]})

    out = Path(a.out)
    out.mkdir(parents=True, exist_ok=True)
    lines = [";".join([PRECINCT_HEADER] + [headers[k] for k in keys] + [NOTE_HEADER])]
    for pid in sorted(published):
        row = [str(pid).zfill(5)] + [grouped(published[pid][k]) for k in keys]
        note = "дополнительный" if str(pid) in alterations["extra"] else ""
        lines.append(";".join(row + [note]))
    (out / "official.csv").write_bytes(("\ufeff" + "\r\n".join(lines) + "\r\n").encode("utf-8"))
    mapping = {"precinct": {"column": PRECINCT_HEADER, "strip_leading_zeros": True},
               "fields": {headers[k]: k for k in keys}, "thousands": "auto", "separator": ";"}
    (out / "mapping.yaml").write_text(yaml.safe_dump(mapping, allow_unicode=True, sort_keys=False), encoding="utf-8")
    (out / "alterations.json").write_text(json.dumps(alterations, ensure_ascii=False, indent=1), encoding="utf-8")
    print(f"official: {len(published)} rows for {len(truths)} protocols; altered {len(added)} precincts by added votes, "
          f"{len(swapped)} by swapped candidates, {len(alterations['fields']) - 2 * len(swapped) - len(added)} on uncertain "
          f"fields ({len(alterations['fields'])} fields), left out {len(missing)}, "
          f"added {a.extra} with no protocol -> {out}", file=sys.stderr)


if __name__ == "__main__":
    main()
