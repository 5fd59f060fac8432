import crypto from 'node:crypto';

/**
 * PURE: what a Reel draft shows and how the frame is cut, decided from plain data (no ffmpeg, no database). The
 * renderer (render.ts) turns the plan into one ffmpeg run.
 */

export const REEL_WIDTH = 1080;
export const REEL_HEIGHT = 1920;
/** Instagram plays at most 90 s; a draft is the clip, capped here. */
export const REEL_MAX_SEC = 60;
/** Bump when the look of a draft changes: every draft becomes stale and can be rendered again. */
export const REEL_RECIPE = 1;

export type Box = { x: number; y: number; width: number; height: number };
/** A product box at a time of the source video, in source pixels. */
export type BoxAt = { t: number; box: Box };
export type Segment = { start: number; end: number; text: string };

export type ReelInputs = {
  productName: string;
  celebrityName: string;
  clipStart: number;
  clipEnd: number;
  mediaPath: string;
  segments: Segment[];
  /** Product boxes in the pixels of the analysed frames (decoded at most 960 on the long side)… */
  boxes: BoxAt[];
  /** …whose width this is (null: unknown, taken as the source's). */
  boxesFrameWidth: number | null;
  disclosure: string;
};

/** The hash of everything the draft shows: an edit that changes none of it keeps the draft current. */
export function reelInputKey(i: ReelInputs): string {
  const h = crypto.createHash('sha256');
  h.update(JSON.stringify([REEL_RECIPE, i.productName, i.celebrityName, i.clipStart, i.clipEnd, i.mediaPath, i.segments, i.boxes, i.boxesFrameWidth, i.disclosure]));
  return h.digest('hex').slice(0, 24);
}

/** The draft's span of the source: the clip, at most REEL_MAX_SEC long. */
export function reelSpan(clipStart: number, clipEnd: number, sourceDuration: number | null): { start: number; duration: number } {
  const start = Math.max(0, clipStart);
  const end = Math.min(clipEnd, sourceDuration ?? clipEnd, start + REEL_MAX_SEC);
  return { start, duration: Math.max(0, Math.round((end - start) * 1000) / 1000) };
}

/** The boxes in source pixels. */
export function boxesInSource(boxes: BoxAt[], frameWidth: number | null, sourceWidth: number): BoxAt[] {
  const k = frameWidth ? sourceWidth / frameWidth : 1;
  return boxes.map(({ t, box }) => ({ t, box: { x: box.x * k, y: box.y * k, width: box.width * k, height: box.height * k } }));
}

/** Keyframe of the crop window's left edge at a time of the draft (0 = the clip's start). */
export type CropKey = { t: number; x: number };
export type CropPlan = { width: number; height: number; keys: CropKey[] };

const even = (n: number) => Math.max(2, Math.floor(n / 2) * 2);
const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));

/** Margin kept around the product inside the crop, as a share of the box width on each side. */
const BOX_MARGIN = 0.1;
/** Longest pan between two positions, in seconds: the window glides, never jumps. */
const PAN_SEC = 0.8;

/**
 * The crop window over time: the full height of the source and a 9:16 width, widened when the product box is wider
 * than that (the product is never cut off; the renderer pads the top and bottom). The window holds still while the
 * product's boxes fit in it together, and glides (at most PAN_SEC) to the next position when the product moves;
 * before the first box and after the last it holds; with no box at all it stays in the centre.
 */
export function planCrop(source: { width: number; height: number }, boxes: BoxAt[], span: { start: number; duration: number }): CropPlan {
  const { width: W, height: H } = source;
  const inClip = boxes
    .filter((b) => b.t >= span.start - 0.5 && b.t <= span.start + span.duration + 0.5 && b.box.width > 0 && b.box.height > 0)
    .map((b) => ({ t: clamp(b.t - span.start, 0, span.duration), box: clipBox(b.box, W, H) }))
    .sort((a, b) => a.t - b.t);
  const widest = Math.max(0, ...inClip.map((b) => b.box.width * (1 + 2 * BOX_MARGIN)));
  const width = even(Math.min(W, Math.max((H * 9) / 16, widest)));
  const centre = Math.round((W - width) / 2);
  if (!inClip.length) return { width, height: even(H), keys: [{ t: 0, x: centre }] };

  // Groups of consecutive boxes whose union fits the window: one still position per group.
  const groups: { t0: number; t1: number; x1: number; x2: number }[] = [];
  for (const { t, box } of inClip) {
    const g = groups.at(-1);
    const x1 = box.x;
    const x2 = box.x + box.width;
    if (g && Math.max(g.x2, x2) - Math.min(g.x1, x1) <= width) {
      g.t1 = t;
      g.x1 = Math.min(g.x1, x1);
      g.x2 = Math.max(g.x2, x2);
    } else groups.push({ t0: t, t1: t, x1, x2 });
  }
  const position = (g: (typeof groups)[number]) => Math.round(clamp((g.x1 + g.x2) / 2 - width / 2, 0, W - width));
  const keys: CropKey[] = [{ t: 0, x: position(groups[0]) }];
  for (let i = 1; i < groups.length; i++) {
    const prev = groups[i - 1];
    const next = groups[i];
    // the pan runs between the last sight of one position and the first of the next, at most PAN_SEC, centred there
    const gap = next.t0 - prev.t1;
    const pan = Math.min(PAN_SEC, gap);
    const from = prev.t1 + (gap - pan) / 2;
    keys.push({ t: round3(from), x: position(prev) }, { t: round3(from + pan), x: position(next) });
  }
  return { width, height: even(H), keys: dedupeKeys(keys) };
}

const round3 = (n: number) => Math.round(n * 1000) / 1000;

function clipBox(b: Box, W: number, H: number): Box {
  const x = clamp(b.x, 0, W);
  const y = clamp(b.y, 0, H);
  return { x, y, width: clamp(b.x + b.width, 0, W) - x, height: clamp(b.y + b.height, 0, H) - y };
}

function dedupeKeys(keys: CropKey[]): CropKey[] {
  const out: CropKey[] = [];
  for (const k of keys) {
    const last = out.at(-1);
    if (last && last.x === k.x && last.t === k.t) continue;
    if (last && k.t <= last.t) k.t = round3(last.t + 0.001);
    out.push(k);
  }
  return out;
}

/** The crop's left edge at draft time t (piecewise linear through the keys, held before and after). */
export function cropXAt(plan: CropPlan, t: number): number {
  const { keys } = plan;
  if (t <= keys[0].t) return keys[0].x;
  for (let i = 1; i < keys.length; i++) {
    if (t <= keys[i].t) {
      const a = keys[i - 1];
      const b = keys[i];
      return a.x + ((b.x - a.x) * (t - a.t)) / (b.t - a.t);
    }
  }
  return keys.at(-1)!.x;
}

/** The same function as an ffmpeg expression of `t` (for the crop filter's x; quote it in the filter graph). */
export function cropXExpr(plan: CropPlan): string {
  const { keys } = plan;
  let expr = String(keys.at(-1)!.x);
  for (let i = keys.length - 1; i >= 1; i--) {
    const a = keys[i - 1];
    const b = keys[i];
    const lerp = `${a.x}+(${b.x - a.x})*(t-${a.t})/${round3(b.t - a.t)}`;
    expr = `if(lt(t,${b.t}),${lerp},${expr})`;
  }
  return `if(lt(t,${keys[0].t}),${keys[0].x},${expr})`;
}

/** How long the title card and the end card stay on screen in a draft of `duration` seconds. */
export function cardTimes(duration: number): { title: [number, number]; end: [number, number] } {
  const len = Math.min(3, duration * 0.25);
  return { title: [0, round3(len)], end: [round3(Math.max(len, duration - len)), round3(duration)] };
}

/** The transcript lines said inside the span, timed from the draft's start (cut to the span). */
export function subtitleLines(segments: Segment[], span: { start: number; duration: number }, until: number): Segment[] {
  const out: Segment[] = [];
  for (const s of segments) {
    const start = Math.max(0, s.start - span.start);
    const end = Math.min(until, s.end - span.start);
    const text = s.text.replace(/\s+/g, ' ').trim();
    if (end - start >= 0.2 && text) out.push({ start: round3(start), end: round3(end), text });
  }
  return out;
}

/** Text as an ASS event shows it, never as override tags or line breaks it did not ask for. */
export function assText(text: string): string {
  return text.replace(/\\/g, '＼').replace(/\{/g, '｛').replace(/\}/g, '｝').replace(/\r?\n/g, '\\N');
}

function assTime(t: number): string {
  const cs = Math.max(0, Math.round(t * 100));
  const h = Math.floor(cs / 360000);
  const m = Math.floor((cs % 360000) / 6000);
  const s = Math.floor((cs % 6000) / 100);
  return `${h}:${String(m).padStart(2, '0')}:${String(s).padStart(2, '0')}.${String(cs % 100).padStart(2, '0')}`;
}

export const REEL_FONT_FAMILY = 'Noto Sans KR';

/**
 * The draft's text as one ASS script for libass: Korean subtitles from the transcript (bottom, above Instagram's
 * buttons), the title card (product and celebrity, first seconds) and the end card (the product, where to find it and
 * the Coupang Partners disclosure, last seconds; subtitles stop there).
 */
export function buildAss(i: { productName: string; celebrityName: string; disclosure: string; lines: Segment[]; duration: number }): string {
  const cards = cardTimes(i.duration);
  const style = (name: string, size: number, align: number, marginV: number, border: 1 | 3, outline: number, back: string) =>
    `Style: ${name},${REEL_FONT_FAMILY},${size},&H00FFFFFF,&H00FFFFFF,&H00000000,${back},-1,0,0,0,100,100,0,0,${border},${outline},0,${align},80,80,${marginV},1`;
  const events: string[] = [];
  const ev = (style: string, from: number, to: number, text: string) => events.push(`Dialogue: 0,${assTime(from)},${assTime(to)},${style},,0,0,0,,${text}`);
  for (const l of i.lines) {
    const from = Math.max(l.start, 0);
    const to = Math.min(l.end, cards.end[0]);
    if (to - from >= 0.2) ev('Sub', from, to, assText(l.text));
  }
  const who = i.celebrityName.trim();
  ev('Title', cards.title[0], cards.title[1], `${assText(i.productName)}${who ? `\\N{\\fs52}${assText(who)} 추천` : ''}`);
  ev('End', cards.end[0], cards.end[1], `${assText(i.productName)}\\N{\\fs48}구매 링크는 프로필에서 확인하세요`);
  ev('Disclosure', cards.end[0], cards.end[1], assText(i.disclosure));
  return [
    '[Script Info]',
    'ScriptType: v4.00+',
    `PlayResX: ${REEL_WIDTH}`,
    `PlayResY: ${REEL_HEIGHT}`,
    'WrapStyle: 0',
    'ScaledBorderAndShadow: yes',
    '',
    '[V4+ Styles]',
    'Format: Name, Fontname, Fontsize, PrimaryColour, SecondaryColour, OutlineColour, BackColour, Bold, Italic, Underline, StrikeOut, ScaleX, ScaleY, Spacing, Angle, BorderStyle, Outline, Shadow, Alignment, MarginL, MarginR, MarginV, Encoding',
    style('Sub', 64, 2, 360, 1, 5, '&H80000000'),
    style('Title', 76, 8, 220, 3, 24, '&H40000000'),
    style('End', 76, 5, 0, 1, 5, '&H80000000'),
    style('Disclosure', 40, 2, 360, 3, 18, '&H40000000'),
    '',
    '[Events]',
    'Format: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, Effect, Text',
    ...events,
    '',
  ].join('\n');
}
