#!/usr/bin/env bash
# Steadiness and speed of `gct video` over smoothing and match-every settings, on clips made from
# the test photos: still + cut + pan (scripts/make-clip.sh), a lighting ramp, a moving object.
# Outputs are lossless (FFV1) so that the codec's noise does not enter the measure.
#   scripts/eval-video.sh OUTDIR [GCT] [REFERENCE]
set -euo pipefail
out=$1 gct=${2:-gct} ref=${3:-tests/photos/sunset_clouds.jpg}
photos=$(cd "$(dirname "$0")/../tests/photos" && pwd)
mkdir -p "$out"
[ -f "$out/cut.mp4" ] || "$(dirname "$0")/make-clip.sh" "$photos/castle_day.jpg" "$photos/forest_path.jpg" "$out/cut.mp4"
[ -f "$out/light.mp4" ] || ffmpeg -v error -y -loop 1 -framerate 24 -t 3 -i "$photos/green_hills_sky.jpg" \
  -vf "scale=640:360:force_original_aspect_ratio=increase,crop=640:360,setsar=1,eq=brightness='-0.12+0.08*t':eval=frame,noise=alls=10:allf=t,format=yuv420p" \
  -c:v libx264 -crf 10 "$out/light.mp4"
[ -f "$out/object.mp4" ] || ffmpeg -v error -y -loop 1 -framerate 24 -t 3 -i "$photos/snow_trees.jpg" -f lavfi -i "color=c=red:s=120x120:r=24:d=3" \
  -filter_complex "[0:v]scale=640:360:force_original_aspect_ratio=increase,crop=640:360,setsar=1[bg];[bg][1:v]overlay=x='-120+t*250':y=120,noise=alls=10:allf=t,format=yuv420p" \
  -c:v libx264 -crf 10 "$out/object.mp4"
printf "clip\tsmoothing\tmatch_every\tshot\tframes\tchange\tsecond_difference\tseconds\n" > "$out/steadiness.tsv"
for clip in cut light object; do
  for setting in "0 1" "2 1" "4 1" "6 1" "10 1" "6 2" "6 4" "6 8"; do
    set -- $setting
    graded="$out/$clip-s$1-n$2.mkv"
    start=$(date +%s.%N)
    $gct video "$out/$clip.mp4" "$ref" -o "$graded" --codec ffv1 --smoothing "$1" --match-every "$2" --device cpu --force > /dev/null 2>&1
    seconds=$(echo "$(date +%s.%N) - $start" | bc)
    $gct steadiness "$out/$clip.mp4" "$graded" | tail -n +2 | while read -r shot first frames change second; do
      printf "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%.1f\n" "$clip" "$1" "$2" "$shot" "$frames" "$change" "$second" "$seconds" >> "$out/steadiness.tsv"
    done
  done
done
column -t "$out/steadiness.tsv"
