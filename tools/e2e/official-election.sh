#!/usr/bin/env bash
# End to end, from images: a generated election is digitized into a store, compared with official results in
# which a known set of precincts was altered, and the report is checked for every alteration and nothing else.
#
#   tools/e2e/official-election.sh [WORK_DIR]        (default corpus/official-e2e)
#
# Environment: COUNT (protocols, default 320), SEED (corpus seed, default 2026), ALTER_SEED (default 5),
# JOBS (generator processes and batch workers, default 2), HANDWRITTEN (protocols with handwritten digits
# added after the COUNT printed ones, precincts COUNT+1..., default 0), HATTAMA (a built binary; default:
# build release into .build-official).
# An existing WORK_DIR/images with these protocols is reused; the store and report are made afresh.
# Exit status: that of tools/e2e/check_official_report.py (1 on any missed alteration or false flag).
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
WORK="${1:-$ROOT/corpus/official-e2e}"
COUNT="${COUNT:-320}"
SEED="${SEED:-2026}"
ALTER_SEED="${ALTER_SEED:-5}"
JOBS="${JOBS:-2}"
FORM="ru-2024-president-uik"
ELECTION="ru-2024-president"
PY="$ROOT/.venv/bin/python"
[ -x "$PY" ] || { echo "no Python venv at $PY: run tools/setup-python.sh first" >&2; exit 2; }
cd "$ROOT"
mkdir -p "$WORK"
IMAGES="$WORK/images"

step() { printf '\n== %s (%s)\n' "$1" "$(date -u +%H:%M:%S)"; }

HANDWRITTEN="${HANDWRITTEN:-0}"
generate() {  # folder count start [--handwritten]: reuse the folder when it holds exactly that many protocols
  local folder="$1" count="$2" start="$3"; shift 3
  if [ "$(find "$folder" -name '*.truth.json' 2>/dev/null | wc -l)" -eq "$count" ]; then
    step "reuse $count generated protocols in $folder"
    return
  fi
  step "generate $count protocols of $FORM from index $start, seed $SEED $*"
  rm -rf "$folder"
  "$PY" tools/corpus/generate.py --out "$folder" --count "$count" --start "$start" --forms "$FORM" \
    --seed "$SEED" --unique-precincts --jobs "$JOBS" --quiet --no-manifest "$@"
}
generate "$IMAGES/printed" "$COUNT" 0
FOLDERS=("$IMAGES/printed")
if [ "$HANDWRITTEN" -gt 0 ]; then
  generate "$IMAGES/handwritten" "$HANDWRITTEN" "$COUNT" --handwritten
  FOLDERS+=("$IMAGES/handwritten")
fi

if [ -z "${HATTAMA:-}" ]; then
  step "build release"
  swift build -c release --scratch-path .build-official --product hattama 2>&1 | tail -n 3
  HATTAMA="$ROOT/.build-official/release/hattama"
fi

DB="$WORK/store.sqlite"
rm -rf "$DB" "$DB-wal" "$DB-shm" "$DB.images" "$WORK/report" "$WORK/official" "$WORK/records.jsonl"
step "hattama batch"
status=0
time "$HATTAMA" batch "${FOLDERS[@]}" --db "$DB" --jobs "$JOBS" || status=$?
[ "$status" -eq 0 ] || [ "$status" -eq 3 ] || { echo "batch failed with exit $status" >&2; exit "$status"; }

step "official results with known alterations"
"$HATTAMA" export --db "$DB" --format jsonl > "$WORK/records.jsonl"
"$PY" tools/e2e/make_official_results.py --truth "${FOLDERS[@]}" --out "$WORK/official" --seed "$ALTER_SEED" \
  --records "$WORK/records.jsonl"

step "hattama official import"
"$HATTAMA" official import "$WORK/official/official.csv" --db "$DB" --election "$ELECTION" \
  --mapping "$WORK/official/mapping.yaml"

step "hattama verify --report"
"$HATTAMA" verify --db "$DB" --report "$WORK/report"

step "check the report against the alterations"
"$PY" tools/e2e/check_official_report.py --report "$WORK/report/report.json" \
  --alterations "$WORK/official/alterations.json" --truth "${FOLDERS[@]}" ${VERBOSE:+--verbose}
