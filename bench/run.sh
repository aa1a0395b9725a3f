#!/usr/bin/env bash
# Runs on the GPU machine from the folder prepared by bench/prepare-device.sh (see there).
# Writes into $OUT (default ./out): nvidia-smi.txt, devices.txt; the same transfer
# (hr_mountain_sunset onto hr_dandelions_sunset, at 1920x1080 and at full size, 12 MP) on cuda
# and on cpu with per-stage timings, and how far apart the two outputs are; gct bench --device cuda at 1920x1080 and
# 3840x2160 as JSON, and at 1920x1080 with the deep taps (relu1_2, relu2_1, relu3_1: conv1_2
# dominates, 0.3 TFLOP for the pair) to see how close the convolution comes to the fp32 peak.
set -uo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
out="${OUT:-$here/out}"
mkdir -p "$out"
gct="$here/bin/gct"
export GCT_WEIGHTS="$here/weights"
t="$here/images/hr_mountain_sunset.jpg" r="$here/images/hr_dandelions_sunset.jpg"
{ nvidia-smi 2>&1 || echo "nvidia-smi: not available"; } > "$out/nvidia-smi.txt"
"$gct" devices | tee "$out/devices.txt"
for size in 1080p full; do
  suffix=$([ "$size" = full ] && echo "" || echo "_$size")
  for device in cuda cpu; do
    "$gct" transfer "${t%.jpg}$suffix.jpg" "${r%.jpg}$suffix.jpg" -o "$out/$device-$size.png" --device "$device" --force --verbose \
      2> "$out/transfer-$device-$size.txt"
    tail -n 3 "$out/transfer-$device-$size.txt"
  done
  "$gct" compare "$out/cuda-$size.png" "$out/cpu-$size.png" | tee "$out/compare-$size.txt"
done
"$gct" bench "$t" "$r" --device cuda --sizes 1920x1080,3840x2160 --runs 5 --json "$out/bench-cuda.json" | tee "$out/bench-cuda.txt"
"$gct" bench "$t" "$r" --device cuda --sizes 1920x1080 --runs 3 --layers relu1_2,relu2_1,relu3_1 --json "$out/bench-cuda-deep.json" \
  | tee "$out/bench-cuda-deep.txt"
