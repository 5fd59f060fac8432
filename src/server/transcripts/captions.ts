/**
 * Caption files → timestamped transcript segments. Formats: WebVTT (.vtt), SubRip (.srt) and YouTube timedtext
 * json3 (`fmt=json3`). Times are seconds (float, millisecond precision).
 *
 * Text cleanup for every format: inline tags (<c>, <i>, <v Speaker>, <00:00:01.000> …) are stripped, HTML entities
 * decoded, whitespace collapsed, cues without text dropped.
 *
 * YouTube auto-captions (VTT/SRT downloads) roll: each cue repeats the previous cue's last line(s) above the new
 * line, and 10 ms "transition" cues repeat the whole previous text. A cue's leading lines that equal the previous
 * cue's trailing lines are therefore dropped, and a cue left with nothing new only extends the previous segment.
 * Side effect: a subtitle file that really repeats a line in two consecutive cues keeps it once.
 *
 * json3 events overlap (the rolling window keeps text on screen after the next words start); a segment's end is
 * clamped to the start of the next one so that segments follow the speech.
 */
import { z } from 'zod';
import { DomainError } from '@/src/server/errors';

export interface TranscriptSegment {
  start: number;
  end: number;
  text: string;
}

export type CaptionFormat = 'vtt' | 'srt' | 'json3';

const bad = (message: string) => new DomainError('bad_request', `captions: ${message}`, 'captions');

const FORMATS: readonly CaptionFormat[] = ['vtt', 'srt', 'json3'];
const EXTENSIONS: Record<string, CaptionFormat> = { vtt: 'vtt', webvtt: 'vtt', srt: 'srt', json3: 'json3', json: 'json3' };

/** `[hh:]mm:ss(.|,)mmm`; hours may have more than two digits. */
const TIMESTAMP = /^(?:(\d+):)?([0-5]?\d):([0-5]\d)[.,](\d{1,3})$/;
const TIMING_LINE = /^\s*(\S+)\s+-->\s+(\S+)(?:\s+.*)?$/;

function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** Guesses the format from the content; null when it looks like none of them. */
export function detectCaptionFormat(text: string): CaptionFormat | null {
  const body = stripBom(text).trimStart();
  if (/^WEBVTT(?:[ \t\r\n]|$)/.test(body)) return 'vtt';
  if (body.startsWith('{')) {
    return /"events"\s*:/.test(body) ? 'json3' : null;
  }
  const firstTiming = /^[^\n]*-->[^\n]*$/m.exec(body)?.[0];
  if (firstTiming) {
    const match = TIMING_LINE.exec(firstTiming);
    if (match && /,\d{1,3}$/.test(match[1]!)) return 'srt';
    if (match && /\.\d{1,3}$/.test(match[1]!)) return 'vtt';
  }
  return null;
}

function formatFromHint(hint: string): CaptionFormat | null {
  const lower = hint.trim().toLowerCase();
  if ((FORMATS as readonly string[]).includes(lower)) return lower as CaptionFormat;
  const ext = /\.([a-z0-9]+)$/.exec(lower)?.[1];
  return ext ? (EXTENSIONS[ext] ?? null) : null;
}

function parseTimestamp(value: string, lineNo: number): number {
  const match = TIMESTAMP.exec(value);
  if (!match) throw bad(`line ${lineNo}: "${value}" is not a timestamp (expected hh:mm:ss.mmm or mm:ss.mmm)`);
  const [, h, m, s, ms] = match;
  const millis = Number(ms!.padEnd(3, '0'));
  return Number(h ?? 0) * 3600 + Number(m) * 60 + Number(s) + millis / 1000;
}

const NAMED_ENTITIES: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: ' ',
  lrm: '',
  rlm: '',
  hellip: '…',
  middot: '·',
};

function decodeEntities(text: string): string {
  return text.replace(/&(?:#x([0-9a-f]{1,6})|#(\d{1,7})|([a-z]+));/gi, (whole, hex, dec, name) => {
    if (hex || dec) {
      const code = hex ? parseInt(hex, 16) : Number(dec);
      return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return NAMED_ENTITIES[(name as string).toLowerCase()] ?? whole;
  });
}

/** One payload line → plain text (tags stripped, entities decoded, whitespace collapsed). */
function cleanLine(line: string): string {
  return decodeEntities(line.replace(/<[^>]*>/g, ''))
    .replace(/\s+/g, ' ')
    .trim();
}

interface Cue {
  start: number;
  end: number;
  lines: string[];
}

/** Parses WebVTT or SRT cue blocks (the two differ only in header, comment blocks and the millisecond separator). */
function parseCueText(text: string, format: 'vtt' | 'srt'): Cue[] {
  const lines = stripBom(text).replace(/\r\n?/g, '\n').split('\n');
  let i = 0;
  if (format === 'vtt' && /^WEBVTT(?:[ \t]|$)/.test(lines[0] ?? '')) {
    while (i < lines.length && lines[i]!.trim() !== '') i++; // header block (Kind:, Language: …)
  }

  // Blocks end at an empty line. A whitespace-only line is cue text (YouTube auto-captions put " " lines inside
  // cues) unless a new cue visibly starts right after it, which tolerates hand-edited files with stray spaces.
  const startsCue = (j: number) => (lines[j] ?? '').includes('-->') || (lines[j + 1] ?? '').includes('-->');
  const endsBlock = (j: number) => lines[j] === '' || (lines[j]!.trim() === '' && startsCue(j + 1));

  const cues: Cue[] = [];
  while (i < lines.length) {
    while (i < lines.length && lines[i]!.trim() === '') i++;
    if (i >= lines.length) break;
    const blockStart = i;
    const block: string[] = [];
    while (i < lines.length && !endsBlock(i)) block.push(lines[i++]!);

    if (format === 'vtt' && /^(?:NOTE|STYLE|REGION)(?:[ \t]|$)/.test(block[0]!)) continue;

    const timingIndex = block.findIndex((line) => line.includes('-->'));
    if (timingIndex === -1) {
      // SRT index line alone, or stray text: nothing timed to keep.
      if (block.every((line) => /^\d+$/.test(line.trim()))) continue;
      throw bad(`line ${blockStart + 1}: text without a "start --> end" timing line`);
    }
    if (timingIndex > 1) throw bad(`line ${blockStart + 1}: a cue may have at most one identifier line before its timing`);
    const lineNo = blockStart + timingIndex + 1;
    const timing = TIMING_LINE.exec(block[timingIndex]!);
    if (!timing) throw bad(`line ${lineNo}: malformed timing line "${block[timingIndex]!.trim()}"`);
    const start = parseTimestamp(timing[1]!, lineNo);
    const end = parseTimestamp(timing[2]!, lineNo);
    if (end < start) throw bad(`line ${lineNo}: cue ends (${timing[2]}) before it starts (${timing[1]})`);
    cues.push({ start, end, lines: block.slice(timingIndex + 1).map(cleanLine).filter((l) => l !== '') });
  }
  return cues;
}

/** Drops the lines each cue repeats from the previous one (YouTube rolling auto-captions). */
function collapseRollingCues(cues: Cue[]): TranscriptSegment[] {
  const segments: TranscriptSegment[] = [];
  let previous: string[] = [];
  for (const cue of cues) {
    if (cue.lines.length === 0) continue;
    let overlap = 0;
    for (let k = Math.min(cue.lines.length, previous.length); k > 0; k--) {
      const tail = previous.slice(previous.length - k);
      if (tail.every((line, j) => line === cue.lines[j])) {
        overlap = k;
        break;
      }
    }
    const fresh = cue.lines.slice(overlap);
    previous = cue.lines;
    if (fresh.length === 0) {
      const last = segments.at(-1);
      if (last) last.end = Math.max(last.end, cue.end);
      continue;
    }
    segments.push({ start: cue.start, end: cue.end, text: fresh.join(' ') });
  }
  return segments;
}

const json3Schema = z.object({
  events: z.array(
    z
      .object({
        tStartMs: z.number().nonnegative(),
        dDurationMs: z.number().nonnegative().optional(),
        segs: z.array(z.object({ utf8: z.string() }).passthrough()).optional(),
      })
      .passthrough(),
  ),
});

function parseJson3(text: string): TranscriptSegment[] {
  let raw: unknown;
  try {
    raw = JSON.parse(stripBom(text));
  } catch (error) {
    throw bad(`not valid JSON (${error instanceof Error ? error.message : String(error)})`);
  }
  const parsed = json3Schema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw bad(`not a YouTube json3 track: ${issue ? `${issue.path.join('.') || 'document'}: ${issue.message}` : 'bad shape'}`);
  }
  const segments: TranscriptSegment[] = [];
  for (const event of parsed.data.events) {
    if (!event.segs) continue; // window/style events
    const words = event.segs.map((s) => s.utf8).join('');
    const cleaned = words.replace(/\s+/g, ' ').trim();
    if (cleaned === '') continue; // "\n" line-break events of the rolling window
    segments.push({
      start: event.tStartMs / 1000,
      end: (event.tStartMs + (event.dDurationMs ?? 0)) / 1000,
      text: cleaned,
    });
  }
  segments.sort((a, b) => a.start - b.start);
  for (let i = 0; i + 1 < segments.length; i++) {
    const current = segments[i]!;
    const next = segments[i + 1]!;
    if (current.end > next.start && next.start > current.start) current.end = next.start;
  }
  return segments;
}

/**
 * Parses a caption file. `filenameOrFormat` is a file name (its extension is used) or a format ('vtt' | 'srt' |
 * 'json3'); the content decides when it is recognizable (a misnamed .srt that is really WebVTT is read as WebVTT).
 */
export function parseCaptions(text: string, filenameOrFormat?: string): TranscriptSegment[] {
  if (typeof text !== 'string' || stripBom(text).trim() === '') throw bad('the caption file is empty');
  const format = detectCaptionFormat(text) ?? (filenameOrFormat ? formatFromHint(filenameOrFormat) : null);
  if (!format) {
    throw bad(
      `unrecognized caption format${filenameOrFormat ? ` ("${filenameOrFormat}")` : ''}: upload WebVTT (.vtt), ` +
        'SubRip (.srt) or YouTube json3',
    );
  }

  const segments =
    format === 'json3'
      ? parseJson3(text)
      : collapseRollingCues(parseCueText(text, format).sort((a, b) => a.start - b.start));
  if (segments.length === 0) throw bad(`no caption text found in the ${format} file`);
  return segments.map((s) => ({ start: round3(s.start), end: round3(s.end), text: s.text }));
}

const round3 = (n: number) => Math.round(n * 1000) / 1000;
