#!/usr/bin/env bash
# Prepares what a GPU machine without .NET needs, in bench/device/ (git-ignored, under 64 MiB):
# a self-contained single-file gct (the VGG-19 weights are built in), two photos at full size and
# at 1920x1080 (ffmpeg, centre crop), and run.sh. The build is not ReadyToRun:
# PublishReadyToRunExclude is not honoured in a single file, and the engine precompiled runs its
# stages 4-5% slower (precompiled code cannot inline the Kernels' per-pixel functions and a stage
# run once is never rejitted; with tiered compilation off, as gct ran until 2026-12, the CPU
# backend's SLIC ran 3x slower). ReadyToRun halved the kernels' generation at start
# (1.56 s -> 0.78 s), which no timed stage includes. Then, with the session's
# device tool: carry bench/device and run `bash bench/device/run.sh`; its outputs come back under
# $OUT (bench JSON for bench/results/, the two devices' outputs and their comparison).
set -euo pipefail
cd "$(dirname "$0")/.."
out=bench/device
shared="${SHARED:-../shared}"
rm -rf "$out"
mkdir -p "$out/images"
# Trimmed (framework assemblies only; the core library and what ILGPU emits code with stay whole, see
# src/Cli/Cli.csproj): ASP.NET Core (gct serve) and libvips made the untrimmed file 66 MiB.
dotnet publish src/Cli -c Release -r linux-x64 --self-contained -p:PublishSingleFile=true \
  -p:EnableCompressionInSingleFile=true -p:IncludeNativeLibrariesForSelfExtract=true -p:DebugType=none \
  -p:PublishTrimmed=true -p:TrimMode=partial -p:SuppressTrimAnalysisWarnings=true \
  -p:JsonSerializerIsReflectionEnabledByDefault=true -p:TreatWarningsAsErrors=false \
  -p:GenerateDocumentationFile=false -p:PublishReadyToRun=false -o "$out/bin" -v quiet -nologo
for photo in hr_mountain_sunset hr_dandelions_sunset; do
  cp "$shared/images/$photo.jpg" "$out/images/"
  ffmpeg -v error -y -i "$shared/images/$photo.jpg" -vf "scale=1920:1080:force_original_aspect_ratio=increase,crop=1920:1080" \
    -q:v 2 "$out/images/${photo}_1080p.jpg"
done
# The grey target run.sh colourises.
ffmpeg -v error -y -i "$out/images/hr_mountain_sunset_1080p.jpg" -vf format=gray -q:v 2 "$out/images/hr_mountain_sunset_1080p_grey.jpg"
cp bench/run.sh "$out/run.sh"
cp scripts/make-clip.sh "$out/make-clip.sh"
du -sh "$out"
