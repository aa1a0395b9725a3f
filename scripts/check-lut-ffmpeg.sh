#!/usr/bin/env bash
# Checks a LUT written by `gct transfer --render global --lut-out` on an independent reader:
# ffmpeg's lut3d filter (Debian package ffmpeg) applied to the target must match `gct apply`
# within 1/255 at every pixel. Prints the largest difference and the share of values that differ.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v ffmpeg >/dev/null || { echo "check-lut-ffmpeg: ffmpeg is needed (Debian: apt-get install ffmpeg)" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
dotnet build src/Cli -c Release -v quiet -nologo >/dev/null
gct() { dotnet src/Cli/bin/Release/net10.0/linux-x64/gct.dll "$@"; }
target="${1:-samples/target.jpg}" reference="${2:-samples/reference.jpg}"
ffmpeg -loglevel error -i "$target" -pix_fmt rgb24 "$work/target.png"
gct transfer "$work/target.png" "$reference" --render global --lut-out "$work/look.cube" -o "$work/gct.png" >/dev/null
gct apply "$work/target.png" --lut "$work/look.cube" -o "$work/apply.png" >/dev/null
ffmpeg -loglevel error -i "$work/target.png" -vf "lut3d=file=$work/look.cube:interp=trilinear" -pix_fmt rgb24 "$work/ffmpeg.png"
for f in apply ffmpeg; do ffmpeg -loglevel error -i "$work/$f.png" -f rawvideo -pix_fmt rgb24 "$work/$f.rgb"; done
python3 - "$work/apply.rgb" "$work/ffmpeg.rgb" <<'PY'
import sys
a = open(sys.argv[1], 'rb').read(); b = open(sys.argv[2], 'rb').read()
assert len(a) == len(b), "sizes differ"
diffs = [abs(x - y) for x, y in zip(a, b)]
worst = max(diffs); off = sum(d > 0 for d in diffs)
print(f"gct apply vs ffmpeg lut3d: largest difference {worst}/255, {off / len(diffs):.2%} of values differ")
sys.exit(0 if worst <= 1 else 1)
PY
