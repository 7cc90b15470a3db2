#!/usr/bin/env python3
"""Turns ../shared/realimages/ground_truth.json into a hattama.truth/1 corpus in a temporary folder.

Nothing is copied into the repository: the output folder gets a symlink to each real image and a
NAME.truth.json beside it, so that

    python3 tools/realimages/truth.py --out /tmp/real
    .build-real/release/hattama bench accuracy --corpus /tmp/real

measures Hattama on the real images. Only images whose form has a template in seeds/forms are written
(use --all to write every image anyway). Keys follow the templates:

    Honduras (hn-2025-presidential-acta-cierre): papeletas_recibidas -> ballots_received,
      no_utilizadas -> ballots_unused, utilizadas -> ballots_used, ciudadanos_votaron -> citizens_voted,
      miembros_jrv -> jrv_members_voted, custodios -> custodians_voted, total_votantes -> total_voters,
      DC/LIBRE/PINU/PLH/PNH -> votes.dc/.libre/.pinu/.plh/.pnh, blanco -> blank_votes,
      nulos -> null_votes, gran_total -> grand_total.
    Argentina: rows x columns -> "<column>.<row>" in lower case (e.g. senadores_nacionales.508_cambiando_juntos,
      concejales_consejeros_escolares.508_1a_amarillo), header values as they are (ciudadanos_votaron,
      sobres_en_urna, diferencia). Cells printed "NO USAR" have no field in the template and are left out;
      the template's other list rows, and the recurridos / identidad impugnada / comando electoral rows,
      are dashes on the image (ground truth: "all other party rows are dashes") and get null.
    Colombia: the ground-truth names in lower case (total_sufragantes_E11 -> total_sufragantes_e11).
    Kenya: counts as they are; candidates -> votes.<surname>.
"""
import argparse
import json
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
DEFAULT_SOURCE = os.path.join(os.path.dirname(REPO), "shared", "realimages")

HN_KEYS = {
    "papeletas_recibidas": "ballots_received", "no_utilizadas": "ballots_unused", "utilizadas": "ballots_used",
    "ciudadanos_votaron": "citizens_voted", "miembros_jrv": "jrv_members_voted",
    "custodios": "custodians_voted", "total_votantes": "total_voters",
    "DC": "votes.dc", "LIBRE": "votes.libre", "PINU": "votes.pinu", "PLH": "votes.plh", "PNH": "votes.pnh",
    "blanco": "blank_votes", "nulos": "null_votes", "gran_total": "grand_total",
}

# image-name prefix -> (form id, election id)
FORMS = [
    ("hn_2025_pres_acta_cierre_", "hn-2025-presidential-acta-cierre", "hn-2025-presidential"),
    ("ar_2017_paso_ba_certificado_", "ar-2017-paso-certificado-escrutinio", "ar-2017-paso-buenos-aires"),
    ("co_2018_senado_e14_", "co-2018-senado-e14-delegados", "co-2018-senado"),
    ("ke_2013_pres_form34_", "ke-2013-presidential-form34", "ke-2013-presidential"),
]


def values_for(name, entry):
    if name.startswith("hn_"):
        values = {"jrv_number": re.search(r"jrv(\d+)", name).group(1)}
        values.update({HN_KEYS[k]: v for k, v in entry["values"].items()})
        return values
    if name.startswith("ar_"):
        values = dict(entry.get("header", {}))
        for row, cells in entry["rows"].items():
            for column, value in zip(entry["columns"], cells):
                values[f"{column}.{row}".lower()] = value
        keys = template_keys("ar-2017-paso-certificado-escrutinio")
        if keys:
            values = {k: v for k, v in values.items() if k in keys}
            values.update({k: None for k in keys if k not in values})
        return values
    if name.startswith("ke_"):
        values = dict(entry["counts"])
        for candidate, value in entry["candidates"].items():
            values["votes." + re.sub(r"[^a-z0-9]+", "_", candidate.split()[-1].lower())] = value
        return values
    return {k.lower(): v for k, v in entry["values"].items()}


def template_keys(form_id):
    """The field keys of a template (its `- key:` lines), empty when it does not exist."""
    path = os.path.join(REPO, "seeds", "forms", form_id + ".yaml")
    if not os.path.exists(path):
        return set()
    with open(path, encoding="utf-8") as f:
        return set(re.findall(r"^\s*- key: (\S+)\s*$", f.read(), re.M))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--source", default=DEFAULT_SOURCE, help="folder with ground_truth.json and the images")
    parser.add_argument("--out", required=True, help="folder to write symlinks and truth files into")
    parser.add_argument("--all", action="store_true", help="also write images whose form has no template yet")
    args = parser.parse_args()
    with open(os.path.join(args.source, "ground_truth.json"), encoding="utf-8") as f:
        truth = json.load(f)
    os.makedirs(args.out, exist_ok=True)
    forms_dir = os.path.join(REPO, "seeds", "forms")
    written = 0
    for name, entry in sorted(truth["images"].items()):
        form = next(((f, e) for prefix, f, e in FORMS if name.startswith(prefix)), None)
        if form is None:
            print(f"skip {name}: no form mapping", file=sys.stderr)
            continue
        if not args.all and not os.path.exists(os.path.join(forms_dir, form[0] + ".yaml")):
            print(f"skip {name}: no template {form[0]} yet", file=sys.stderr)
            continue
        link = os.path.join(args.out, name)
        if os.path.lexists(link):
            os.remove(link)
        os.symlink(os.path.abspath(os.path.join(args.source, name)), link)
        record = {
            "schema": "hattama.truth/1",
            "image": name,
            "form": form[0],
            "form_version": 1,
            "election": form[1],
            "values": values_for(name, entry),
            "consistent": True,
            "broken_relations": [],
            "degradation": "photo" if "photo" in entry.get("capture", "") else "scan",
            "handwritten": True,
        }
        stem = os.path.splitext(name)[0]
        with open(os.path.join(args.out, stem + ".truth.json"), "w", encoding="utf-8") as f:
            json.dump(record, f, indent=1, ensure_ascii=False)
            f.write("\n")
        written += 1
    print(f"{written} truth files in {args.out}")


if __name__ == "__main__":
    main()
