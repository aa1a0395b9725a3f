#!/usr/bin/env bash
# Runs `gct eval` (ground-truth recovery, DESIGN section 6) on every photo of ../shared/images
# for the baselines and for each variant of the carrillo method; one folder per run under
# OUT (default: eval-runs/), each with results.csv, summary.json and contact sheets.
# This is how the defaults in the README were chosen. About 15 minutes on 2 cores.
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-eval-runs}"
images="${IMAGES:-../shared/images}"
dotnet build src/Cli -c Release -v quiet -nologo >/dev/null
gct() { dotnet src/Cli/bin/Release/net10.0/linux-x64/gct.dll "$@"; }
run() { local name="$1"; shift; echo "== $name: $*"; gct eval "$images" --out "$out/$name" "$@" | sed -n '1,12p'; }
run baselines --methods identity,reinhard,mkl,idt
run default --methods carrillo
run tau0.01 --methods carrillo --tau 0.01
run tau0.03 --methods carrillo --tau 0.03
run relu1_2 --methods carrillo --layers relu1_2
run relu1_2+relu2_2 --methods carrillo --layers relu1_2,relu2_2
run vector-relu1_2 --methods carrillo --layers relu1_2 --centring vector
run own-covariance --methods carrillo --fusion-covariance own
run radius-all --methods carrillo --fusion-radius all
run sigma20 --methods carrillo --fusion-sigma 20
run factor2 --methods carrillo --superpixel-factor 2
run factor4 --methods carrillo --superpixel-factor 4
run no-regrain --methods carrillo --no-regrain
run shift --methods carrillo --fusion-mode shift
run shift-no-regrain --methods carrillo --fusion-mode shift --no-regrain
