#!/usr/bin/env python3
"""Validates hattama.protocol/1 records (JSON files or JSON Lines) against seeds/schema/hattama.protocol.v1.json.

Usage: validate_records.py FILE... (a .json file holds one record, any other file one record per line);
       with no FILE, reads JSON Lines from standard input. Prints one line per invalid record; exit 1 if any.
"""
import json
import pathlib
import sys

import jsonschema

SCHEMA = pathlib.Path(__file__).resolve().parent.parent / "seeds" / "schema" / "hattama.protocol.v1.json"


def records(paths):
    if not paths:
        for number, line in enumerate(sys.stdin, 1):
            if line.strip():
                yield f"<stdin>:{number}", json.loads(line)
        return
    for path in paths:
        text = pathlib.Path(path).read_text(encoding="utf-8")
        if path.endswith(".json"):
            yield path, json.loads(text)
        else:
            for number, line in enumerate(text.splitlines(), 1):
                if line.strip():
                    yield f"{path}:{number}", json.loads(line)


def main():
    validator = jsonschema.Draft202012Validator(json.loads(SCHEMA.read_text(encoding="utf-8")))
    count = invalid = 0
    for where, record in records(sys.argv[1:]):
        count += 1
        errors = sorted(validator.iter_errors(record), key=lambda e: list(e.path))
        if errors:
            invalid += 1
            for error in errors[:3]:
                print(f"{where}: {'/'.join(map(str, error.path)) or '(record)'}: {error.message}")
    print(f"{count} records, {invalid} invalid")
    return 1 if invalid or count == 0 else 0


if __name__ == "__main__":
    sys.exit(main())
