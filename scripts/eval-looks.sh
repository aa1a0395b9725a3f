#!/usr/bin/env bash
# The strong-look measurements of the README ("Strong looks"): gct eval on every photo of IMAGES
# (default ../shared/images, the team's 37 photos) at both overlaps, mild gradings and looks, for
# the baselines, the affine floor, the previous default and the variants that are still options.
# One folder per run under OUT (default eval-runs/looks); about 15 minutes per run on 2 cores.
# (The variants that lost and were removed, such as fitting to superpixel pairs, were measured on
# development builds.)
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-eval-runs/looks}"
images="${IMAGES:-../shared/images}"
build=$(mktemp -d)
trap 'rm -rf "$build"' EXIT
dotnet publish src/Cli -c Release -v quiet -nologo -o "$build" >/dev/null
run() { local name="$1"; shift; echo "== $name: $*"; "$build/gct" eval "$images" --out "$out/$name" --force --device cpu "$@" | sed -n '1,30p'; }
run baselines --methods identity,reinhard,mkl,idt,affine-floor
run previous-default --methods carrillo --feature-input colour --tau 0.02 --color-map affine
run standardised --methods carrillo --feature-input standardised --tau 0.02 --color-map affine
run both --methods carrillo --tau 0.02 --color-map affine
run both-quadratic --methods carrillo --tau 0.02 --color-map quadratic
run both-deep --methods carrillo --layers relu1_1,relu2_1
run default --methods carrillo
