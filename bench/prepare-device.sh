#!/usr/bin/env bash
# Prepares what a GPU machine without .NET needs, in bench/device/ (git-ignored, under 64 MiB):
# a self-contained single-file gct, the VGG-19 weights, two photos at full size and at 1920x1080
# (ImageMagick's convert, centre crop), and run.sh. The build is not ReadyToRun: gct runs without
# tiered compilation, so precompiled code is never recompiled for the machine, and the CPU
# backend's Vector256 loops precompiled for the baseline instruction set ran 3x slower (measured
# here, 1920x1080 pair: SLIC 1.6 s against 0.5 s; the CPU upload 7x slower at 3840x2160;
# PublishReadyToRunExclude is not honoured in a single file). ReadyToRun halved the kernels'
# generation at start (1.56 s -> 0.78 s), which no timed stage includes. Then, with the session's
# device tool: carry bench/device and run `bash bench/device/run.sh`; its outputs come back under
# $OUT (bench JSON for bench/results/, the two devices' outputs and their comparison).
set -euo pipefail
cd "$(dirname "$0")/.."
out=bench/device
shared="${SHARED:-../shared}"
rm -rf "$out"
mkdir -p "$out/weights" "$out/images"
dotnet publish src/Cli -c Release -r linux-x64 --self-contained -p:PublishSingleFile=true \
  -p:EnableCompressionInSingleFile=true -p:IncludeNativeLibrariesForSelfExtract=true -p:DebugType=none \
  -p:GenerateDocumentationFile=false -o "$out/bin" -v quiet -nologo
cp "$shared"/weights/vgg19-tfjs/{model.json,group1-shard1of1,group2-shard1of1,group3-shard1of1,group4-shard1of1,group5-shard1of1} "$out/weights/"
for photo in hr_mountain_sunset hr_dandelions_sunset; do
  cp "$shared/images/$photo.jpg" "$out/images/"
  convert "$shared/images/$photo.jpg" -resize '1920x1080^' -gravity center -extent 1920x1080 -quality 95 "$out/images/${photo}_1080p.jpg"
done
cp bench/run.sh "$out/run.sh"
du -sh "$out"
