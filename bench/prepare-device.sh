#!/usr/bin/env bash
# Prepares what a GPU machine without .NET needs, in bench/device/ (git-ignored, under 64 MiB):
# a self-contained single-file gct, the VGG-19 weights, two photos, and run.sh. Then, with the
# session's device tool: carry bench/device and run `bash bench/device/run.sh`; its outputs come
# back under $OUT (bench JSON for bench/results/, the two devices' outputs and their comparison).
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
cp "$shared"/images/hr_mountain_sunset.jpg "$shared"/images/hr_dandelions_sunset.jpg "$out/images/"
cp bench/run.sh "$out/run.sh"
du -sh "$out"
