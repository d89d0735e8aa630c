#!/usr/bin/env bash
# Builds the labelled photo-check set (test/fixtures/photo-check/) with ImageMagick
# from freely licensed photos shipped in Debian's python3-skimage package
# (/usr/lib/python3/dist-packages/skimage/data/, see LICENSES.md there):
#   astronaut.png  Eileen Collins, NASA, public domain
#   coffee.png     Rachel Michetti, CC0
#   rocket.jpg     SpaceX, public domain
#   chelsea.png    Stefan van der Walt, CC0
# and one from Debian's python-matplotlib-data package
# (/usr/share/matplotlib/mpl-data/sample_data/):
#   grace_hopper.jpg  Commodore Grace M. Hopper, official U.S. Navy portrait: a work of
#                     the U.S. federal government, public domain
# The JPEGs are committed; this script says how they were made. Labels: labels.json.
# Usage: scripts/make-photo-check-set.sh <folder with the five source images>
set -euo pipefail
SRC=${1:?folder with astronaut.png coffee.png rocket.jpg chelsea.png grace_hopper.jpg}
OUT=$(dirname "$0")/../test/fixtures/photo-check
mkdir -p "$OUT"
A="$SRC/astronaut.png"
H="$SRC/grace_hopper.jpg"
q=(-strip -quality 80 -sampling-factor 2x2)
j() { convert "$@" "${q[@]}" "$OUT/$name.jpg"; }

name=good-1 j "$A"
name=good-2 j "$A" -flop
name=good-3 j "$A" -crop 400x512+60+0 +repage -resize 480x614
name=good-4 j "$A" -distort SRT 6 -gravity center -crop 440x440+0+0 +repage -resize 520x520
name=dark-1 j "$A" -evaluate multiply 0.22
name=dark-2 j "$A" -flop -evaluate multiply 0.3 -gamma 0.8
name=dark-3 j "$A" -crop 400x512+60+0 +repage -evaluate multiply 0.15
name=bright-1 j "$A" +level 60%,100%
name=bright-2 j "$A" -flop -evaluate multiply 2.4
name=bright-3 j "$A" -crop 400x512+60+0 +repage +level 45%,100% -evaluate multiply 1.2
name=blurred-1 j "$A" -blur 0x3
name=blurred-2 j "$A" -flop -blur 0x5
name=blurred-3 j "$A" -motion-blur 0x14+30
name=small-1 j "$A" -resize 240x240
name=small-2 j "$A" -flop -resize 320x320
name=noface-1 j "$SRC/coffee.png"
name=noface-2 j "$SRC/rocket.jpg"
name=noface-3 j "$SRC/chelsea.png" -resize 150%
name=twofaces-1 j "$A" \( "$A" -flop \) +append -resize 900x450
name=twofaces-2 j -size 900x512 xc:'#d8d4cc' "$A" -gravity west -composite \( "$A" -flop -resize 75% \) -gravity east -composite
name=facesmall-1 j "$SRC/coffee.png" -resize 900x600 \( "$A" -resize 150x150 \) -gravity northeast -geometry +80+60 -composite
name=facesmall-2 j "$SRC/rocket.jpg" -resize 960x640 \( "$A" -resize 180x180 \) -gravity southwest -geometry +60+40 -composite
name=cutoff-1 j "$A" -resize 1024x1024 -unsharp 0x1.2+1.2 -crop 560x640+430+40 +repage
name=cutoff-2 j "$A" -resize 1024x1024 -unsharp 0x1.2+1.2 -crop 640x560+180+165 +repage
name=cutoff-3 j "$A" -flop -resize 1024x1024 -unsharp 0x1.2+1.2 -crop 560x640+40+40 +repage
# A second person (512×600, indoor light, a dark uniform against a flag):
name=good-5 j "$H"
name=good-6 j "$H" -flop -resize 480x562
name=dark-4 j "$H" -evaluate multiply 0.25
name=bright-4 j "$H" -flop +level 55%,100%
name=blurred-4 j "$H" -blur 0x4
name=small-3 j "$H" -resize 280x280
name=twofaces-3 j \( "$A" -resize 512x512 \) \( "$H" -resize 437x512 \) +append -resize 900x
name=facesmall-3 j "$SRC/chelsea.png" -resize 900x600 \( "$H" -resize 160x160 \) -gravity northwest -geometry +70+50 -composite
name=cutoff-4 j "$H" -resize 1024x1200 -unsharp 0x1.2+1.2 -crop 600x700+0+60 +repage
