import fs from 'node:fs';
import path from 'node:path';
import { DomainError } from '@/src/server/errors';
import { probeMedia } from '@/src/server/media/probe';
import { runFfmpeg } from '@/src/server/media/run-ffmpeg';
import { boxesInSource, buildAss, cardTimes, cropXExpr, planCrop, REEL_HEIGHT, REEL_WIDTH, reelSpan, subtitleLines, type ReelInputs } from './plan';

/**
 * The Korean font burned into drafts: Noto Sans KR Bold from the npm package @expo-google-fonts/noto-sans-kr (SIL Open
 * Font License 1.1, its LICENSE_FONT), so a fresh `npm ci` renders Hangul on any machine, no system font needed.
 */
export function reelFontDir(): string {
  const dir = path.join(/* turbopackIgnore: true */ process.cwd(), 'node_modules', '@expo-google-fonts', 'noto-sans-kr', '700Bold');
  if (!fs.existsSync(path.join(dir, 'NotoSansKR_700Bold.ttf'))) {
    throw new DomainError('not_configured', 'The Korean font for Reel drafts is missing (node_modules/@expo-google-fonts/noto-sans-kr): run npm ci.');
  }
  return dir;
}

/** A path as a quoted value inside an ffmpeg filter graph (quotes protect : , ; [ ]). */
function filterPath(p: string): string {
  if (p.includes("'")) throw new DomainError('bad_request', 'A media path with a quote cannot be passed to ffmpeg; move DATA_DIR.');
  return `'${p}'`;
}

export type RenderedReel = { width: number; height: number; durationSec: number };

/**
 * Renders the draft to `outPath` in one ffmpeg run: the clip cut by input seeking; the crop window following the
 * product (plan.ts) scaled to 1080 wide over a blurred copy of the frame filling 1080×1920; the ASS script (subtitles,
 * title card, end card) burned in with the npm font; the end card's frame dimmed; audio loudness-normalized (EBU R128,
 * −14 LUFS as Instagram plays it; silence when the source has none); H.264 High + AAC, faststart.
 */
export async function renderReel(source: string, inputs: ReelInputs, outPath: string, workDir: string): Promise<RenderedReel> {
  const probe = await probeMedia(source, 'the video file');
  if (!probe.hasVideo || !probe.width || !probe.height) throw new DomainError('bad_request', 'The stored media has no picture; a Reel draft needs video.');
  const span = reelSpan(inputs.clipStart, inputs.clipEnd, probe.durationSeconds);
  if (span.duration < 1) throw new DomainError('bad_request', `The clip (${inputs.clipStart}–${inputs.clipEnd} s) is shorter than a second inside the video; fix the clip bounds.`);
  const crop = planCrop({ width: probe.width, height: probe.height }, boxesInSource(inputs.boxes, inputs.boxesFrameWidth, probe.width), span);
  const cards = cardTimes(span.duration);
  const ass = buildAss({
    productName: inputs.productName,
    celebrityName: inputs.celebrityName,
    disclosure: inputs.disclosure,
    lines: subtitleLines(inputs.segments, span, span.duration),
    duration: span.duration,
  });
  fs.mkdirSync(workDir, { recursive: true });
  const assPath = path.join(workDir, 'reel.ass');
  fs.writeFileSync(assPath, ass);
  const fgHeight = Math.min(REEL_HEIGHT, Math.round((REEL_WIDTH * crop.height) / crop.width / 2) * 2);
  const video = [
    `[0:v]fps=30,setsar=1,split=2[src][bgsrc]`,
    // the background: the whole frame scaled to cover 1080×1920, blurred small (cheap) and darkened
    `[bgsrc]scale=108:192:force_original_aspect_ratio=increase,crop=108:192,boxblur=6:2,scale=${REEL_WIDTH}:${REEL_HEIGHT},eq=brightness=-0.15[bg]`,
    `[src]crop=w=${crop.width}:h=${crop.height}:x='${cropXExpr(crop)}':y=0,scale=${REEL_WIDTH}:${fgHeight}[fg]`,
    `[bg][fg]overlay=x=0:y=(H-h)/2,drawbox=x=0:y=0:w=iw:h=ih:color=black@0.6:t=fill:enable='gte(t,${cards.end[0]})',` +
      `subtitles=filename=${filterPath(assPath)}:fontsdir=${filterPath(reelFontDir())}:charenc=UTF-8,format=yuv420p[v]`,
  ];
  const audio = probe.hasAudio
    ? [`[0:a]loudnorm=I=-14:TP=-1.5:LRA=11,aresample=48000,aformat=channel_layouts=stereo[a]`]
    : [`anullsrc=r=48000:cl=stereo,atrim=duration=${span.duration}[a]`];
  const tmp = `${outPath}.tmp.mp4`;
  await runFfmpeg(
    [
      '-ss', span.start.toFixed(3), '-t', span.duration.toFixed(3), '-i', source,
      '-filter_complex', [...video, ...audio].join(';'),
      '-map', '[v]', '-map', '[a]',
      '-c:v', 'libx264', '-preset', 'veryfast', '-crf', '21', '-profile:v', 'high', '-pix_fmt', 'yuv420p',
      '-c:a', 'aac', '-b:a', '160k', '-ar', '48000',
      '-t', span.duration.toFixed(3), '-movflags', '+faststart', tmp,
    ],
    { timeoutMs: 900_000, what: 'the Reel draft' },
  );
  const out = await probeMedia(tmp, 'the Reel draft');
  fs.renameSync(tmp, outPath);
  return { width: out.width ?? REEL_WIDTH, height: out.height ?? REEL_HEIGHT, durationSec: Math.round(out.durationSeconds * 1000) / 1000 };
}
