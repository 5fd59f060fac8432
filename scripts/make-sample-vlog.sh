#!/bin/sh
# Makes the sample vlog shipped for "샘플 영상으로 체험하기": a 36 s synthetic Korean skincare "vlog" (espeak-ng voice,
# flat background, a TORRIDEN product card on screen while the product is recommended) and matching Korean captions.
# Needs Debian ffmpeg, ffprobe, espeak-ng and fonts-noto-cjk. Output: public/sample/sample-vlog.mp4 + .ko.vtt
# (committed; bytes may differ between ffmpeg/espeak versions). Usage: sh scripts/make-sample-vlog.sh
set -eu
OUT="$(cd "$(dirname "$0")/.." && pwd)/public/sample"
FONT=/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc
[ -f "$FONT" ] || FONT=/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
mkdir -p "$OUT"

# start (s) | line
cat > "$TMP/lines.txt" <<'LINES'
1.5|안녕하세요 여러분. 오늘은 제 저녁 스킨케어 루틴을 보여드릴게요.
13|요즘 제가 진짜 매일 쓰는 게 있는데 토리든 다이브인 세럼이에요.
19.5|발라보면 제형이 가볍고 흡수가 빨라요. 이거 쓰고 피부가 완전 촉촉해졌어요.
27.3|우와, 진짜 최고예요! 너무 만족해서 벌써 세 통째 쓰고 있어요. 완전 대박 강추합니다!
LINES

stamp() { # seconds → HH:MM:SS.mmm
  awk -v t="$1" 'BEGIN { h=int(t/3600); m=int((t-h*3600)/60); s=t-h*3600-m*60; printf "%02d:%02d:%06.3f", h, m, s }'
}

printf 'WEBVTT\n\n' > "$TMP/captions.vtt"
inputs=""; filters=""; mix=""; n=0
while IFS='|' read -r start text; do
  espeak-ng -v ko -s 160 "$text" -w "$TMP/l$n.wav"
  dur=$(ffprobe -v error -show_entries format=duration -of csv=p=0 "$TMP/l$n.wav")
  end=$(awk -v a="$start" -v b="$dur" 'BEGIN { printf "%.3f", a + b }')
  printf '%s --> %s\n%s\n\n' "$(stamp "$start")" "$(stamp "$end")" "$text" >> "$TMP/captions.vtt"
  ms=$(awk -v a="$start" 'BEGIN { printf "%d", a * 1000 }')
  inputs="$inputs -i $TMP/l$n.wav"
  filters="$filters[$n]adelay=$ms:all=1[a$n];"
  mix="$mix[a$n]"
  n=$((n + 1))
done < "$TMP/lines.txt"

# shellcheck disable=SC2086
ffmpeg -hide_banner -loglevel error -y $inputs -filter_complex \
  "${filters}${mix}amix=inputs=$n:normalize=0,apad=whole_dur=36,aresample=44100" -t 36 -ac 1 -c:a pcm_s16le "$TMP/voice.wav"

CARD="drawbox=x=190:y=40:w=260:h=230:color=white@0.95:t=fill:enable='between(t,12.5,30)',\
drawtext=fontfile=$FONT:text='TORRIDEN':fontsize=34:fontcolor=0x1b3a6b:x=(w-tw)/2:y=70:enable='between(t,12.5,30)',\
drawtext=fontfile=$FONT:text='DIVE-IN SERUM':fontsize=26:fontcolor=0x1b3a6b:x=(w-tw)/2:y=125:enable='between(t,12.5,30)',\
drawtext=fontfile=$FONT:text='토리든 다이브인 세럼':fontsize=24:fontcolor=0x222222:x=(w-tw)/2:y=175:enable='between(t,12.5,30)',\
drawtext=fontfile=$FONT:text='50ml':fontsize=20:fontcolor=0x555555:x=(w-tw)/2:y=225:enable='between(t,12.5,30)'"

ffmpeg -hide_banner -loglevel error -y -f lavfi -i "color=c=0xd8c8b8:s=640x360:r=24:d=36" -i "$TMP/voice.wav" \
  -filter_complex "[0]$CARD[v]" -map "[v]" -map 1:a -c:v libx264 -preset veryfast -crf 30 -pix_fmt yuv420p \
  -c:a aac -b:a 48k -ac 1 -shortest -movflags +faststart "$OUT/sample-vlog.mp4"
cp "$TMP/captions.vtt" "$OUT/sample-vlog.ko.vtt"
ls -l "$OUT"
