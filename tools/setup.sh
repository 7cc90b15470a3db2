#!/usr/bin/env bash
# Installs what Hattama needs on a fresh Debian 12 machine, once: Tesseract and Leptonica (runtime and
# headers), the language models, poppler (PDF pages), fonts for the corpus generator, and the pinned
# Python tools in .venv. Later calls return quickly.
set -euo pipefail
cd "$(dirname "$0")/.."
packages=(tesseract-ocr tesseract-ocr-eng tesseract-ocr-rus tesseract-ocr-kaz tesseract-ocr-spa libtesseract-dev libleptonica-dev
          pkg-config poppler-utils python3-venv fonts-dejavu-core fonts-liberation fonts-freefont-ttf
          chromium chromium-driver fonts-dkg-handwriting fonts-bwht fonts-breip fonts-klee fonts-humor-sans fonts-rufscript fonts-sjfonts)
missing=()
for package in "${packages[@]}"; do
  dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}" >&2
  sudo_cmd=""
  [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq "${missing[@]}" >/dev/null
fi
tools/setup-python.sh
