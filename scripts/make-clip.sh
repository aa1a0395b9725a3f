#!/usr/bin/env bash
# A test clip from two photos: STILL seconds of the first (a still shot), a cut, then PAN seconds
# of the second with a slow pan and zoom; film-like temporal noise on every frame; 24 frames/s,
# lossless-enough H.264 (CRF 10) so that the noise, not the codec, dominates.
#   scripts/make-clip.sh A.jpg B.jpg OUT.mp4 [WIDTHxHEIGHT=640x360] [STILL=2] [PAN=2] [NOISE=10]
set -euo pipefail
a=$1 b=$2 out=$3 size=${4:-640x360} still=${5:-2} pan=${6:-2} noise=${7:-10}
command -v ffmpeg >/dev/null || { echo "make-clip: ffmpeg not found on PATH; install it (Debian/Ubuntu: apt-get install ffmpeg)" >&2; exit 1; }
w=${size%x*} h=${size#*x}
fps=24 frames=$((pan * fps))
ffmpeg -v error -y \
  -loop 1 -framerate $fps -t "$still" -i "$a" \
  -i "$b" \
  -filter_complex "\
[0:v]scale=${w}:${h}:force_original_aspect_ratio=increase,crop=${w}:${h},setsar=1,noise=alls=${noise}:allf=t[s];\
[1:v]scale=$((w * 2)):$((h * 2)):force_original_aspect_ratio=increase,crop=$((w * 2)):$((h * 2)),\
zoompan=z='1.25+0.1*on/${frames}':x='(iw-iw/zoom)*(0.2+0.5*on/${frames})':y='(ih-ih/zoom)/2':d=${frames}:s=${w}x${h}:fps=${fps},\
setsar=1,noise=alls=${noise}:allf=t[p];\
[s][p]concat=n=2:v=1:a=0,format=yuv420p[v]" \
  -map "[v]" -c:v libx264 -crf 10 -preset fast -r $fps "$out"
