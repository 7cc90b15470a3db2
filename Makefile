# Shortcuts; the README's two commands are the reference.
.PHONY: setup build test sample bench-accuracy bench-speed corpus

setup:
	tools/setup.sh

build: setup
	swift build -c release --product hattama

test: setup
	swift test

sample: build
	.build/release/hattama digitize testimages/printed testimages/handwritten --format summary

corpus: setup
	.venv/bin/python tools/corpus/generate.py --out corpus/printed800 --count 800 --seed 11 \
	  --forms kz-2022-president-precinct-wall,kz-2022-president-precinct-a4,kz-2022-referendum-precinct,ru-2024-president-uik \
	  --photo-share 0.5 --inconsistent-share 0.1 --jobs 2 --quiet

bench-accuracy: build
	.build/release/hattama bench accuracy --corpus corpus/printed800

bench-speed: build
	.build/release/hattama bench speed --corpus corpus/printed800 --limit 60
