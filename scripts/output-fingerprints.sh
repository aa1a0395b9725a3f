#!/usr/bin/env bash
# Fingerprints of what gct writes for the sample pair and a few options: one line per output,
# "<name> <sha256>" (films: the MD5 of their decoded frames). Run it with two builds and diff the
# lists to show that a change leaves every output byte-identical:
#   scripts/output-fingerprints.sh GCT_BINARY WORKDIR > before.txt
# Needs ffmpeg for the video lines. Run it on a machine without a GPU (or give both runs the same one).
set -euo pipefail
gct=$(realpath "$1") work=$2
cd "$(dirname "$0")/.."
rm -rf "$work" && mkdir -p "$work"
t=samples/target.jpg r=samples/reference.jpg
run() { "$gct" "$@" >/dev/null 2>"$work/stderr" || { echo "failed: $*" >&2; cat "$work/stderr" >&2; exit 1; }; }
run transfer $t $r -o "$work/default.png" --lut-out "$work/default.cube"
run transfer $t $r -o "$work/default.jpg"
run transfer $t $r -o "$work/local.png" --render local
run transfer $t $r -o "$work/paper.png" --preset paper
run transfer $t $r -o "$work/lattice.png" --color-map lattice
run transfer $t $r -o "$work/colour.png" --fusion-mode colour
run transfer $t $r -o "$work/statistics.png" --fusion-mode statistics
run transfer $t $r -o "$work/regrain.png" --regrain
run transfer $t $r -o "$work/strength.png" --strength 0.4
run transfer $t $r -o "$work/relu.png" --layers relu1_1,relu2_1 --tau 0.01 --attention-top 8
for m in reinhard mkl idt; do run transfer $t $r -o "$work/$m.png" --method $m; done
run transfer $t $r -o "$work/reinhard-strength.png" --method reinhard --strength 0.5
run transfer $t $r -o "$work/steps.png" --save-intermediates "$work/steps"
run regrain $t "$work/reinhard.png" -o "$work/regrained.png"
run superpixels $t -o "$work/superpixels.png" --labels "$work/labels.png"
run apply $t --lut "$work/default.cube" -o "$work/applied.png"
mkdir -p "$work/in"; cp $t "$work/in/a.jpg"; cp $r "$work/in/b.jpg"; cp tests/photos/glacier.jpg "$work/in/c.jpg"
run batch $r "$work/in" -o "$work/batch" --format png
if command -v ffmpeg >/dev/null; then
  scripts/make-clip.sh $t $r "$work/clip.mp4" 320x180 1 1 >/dev/null
  run video "$work/clip.mp4" $r -o "$work/graded.mkv" --codec ffv1 --lut-out-dir "$work/luts"
  "$gct" steadiness "$work/clip.mp4" "$work/graded.mkv" > "$work/steadiness.txt"
fi
"$gct" compare $t "$work/default.png" > "$work/compare.txt"
run eval tests/photos/glacier.jpg tests/photos/dune_sea.jpg --size 128 --out "$work/eval"
cd "$work"
find . -type f ! -name stderr ! -name '*.mp4' ! -name '*.mkv' ! -name 'manifest*.jsonl' ! -name 'summary.json' ! -name results.csv | sort | while read -r f; do echo "$f $(sha256sum < "$f" | cut -c1-16)"; done
for f in graded.mkv; do [ -f $f ] && echo "$f frames $(ffmpeg -v error -i $f -f md5 - | cut -c5-20)"; done
# The manifest, the results and the summary hold times and paths; the rest of them is compared.
echo "batch/manifest.jsonl(no times) $(sed -E 's/"seconds":[0-9.]+//g; s#'"$PWD"'##g' batch/manifest.jsonl | sha256sum | cut -c1-16)"
echo "eval/results.csv(no times) $(cut -d, -f1-6 eval/results.csv | sha256sum | cut -c1-16)"
