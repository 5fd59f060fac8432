import { and, asc, eq, gt, inArray, sql } from 'drizzle-orm';
import { getDb, schema, type Executor } from '@/src/server/db';
import { effectiveProductName, type CandidateRow } from '@/src/server/candidates/dto';
import { sameValue } from '@/src/server/candidates/fields';

const { goldenExamples, candidates } = schema;

/**
 * The golden dataset: every operator correction of a field the pipeline wrote, as (model output, human output)
 * with the candidate's evidence. One row per (candidate, field): the model value is the pipeline's, the human value
 * the latest correction; a correction back to the model's value removes the row (nothing was corrected).
 */
export const goldenFields = {
  product_name: (c: CandidateRow) => effectiveProductName(c),
  category_path: (c: CandidateRow) => c.categoryPath,
  clip: (c: CandidateRow) => ({ start: c.clipStartTime, end: c.clipEndTime }),
  recommended_titles: (c: CandidateRow) => c.recommendedTitles,
  recommended_hashtags: (c: CandidateRow) => c.recommendedHashtags,
  summary_for_caption: (c: CandidateRow) => c.summaryForCaption,
  hook_sentence: (c: CandidateRow) => c.hookSentence,
} as const;
export type GoldenField = keyof typeof goldenFields;

const modelValueOf = (field: GoldenField, before: CandidateRow) =>
  field === 'product_name' ? before.productNameAi : goldenFields[field](before);

export function goldenEvidence(c: CandidateRow) {
  const ev = c.evidence;
  return {
    video_title: c.videoTitle,
    video_url: c.videoUrl,
    celebrity_name: c.celebrityName,
    channel_name: c.channelTitle,
    analysis_method: c.analysisMethod,
    transcript_span: ev?.transcriptSpan ?? [],
    ocr_lines: ev?.ocrLines ?? [],
    detections: ev?.detections ?? [],
    frame_timestamps: ev?.frameTimestamps ?? [],
    crop_path: ev?.cropPath ?? null,
  };
}

/** Records the corrections between two states of a candidate (call inside the edit's transaction). */
export async function recordCorrections(tx: Executor, before: CandidateRow, after: CandidateRow, userId: number | null): Promise<GoldenField[]> {
  const changed = (Object.keys(goldenFields) as GoldenField[]).filter((f) => !sameValue(goldenFields[f](before), goldenFields[f](after)));
  if (!changed.length) return [];
  const existing = await tx
    .select()
    .from(goldenExamples)
    .where(and(eq(goldenExamples.candidateId, after.id), inArray(goldenExamples.field, changed)));
  const byField = new Map(existing.map((r) => [r.field, r]));
  for (const field of changed) {
    const prior = byField.get(field);
    const model = prior ? prior.modelValue : modelValueOf(field, before);
    const human = goldenFields[field](after);
    if (sameValue(model, human)) {
      if (prior) await tx.delete(goldenExamples).where(eq(goldenExamples.id, prior.id));
      continue;
    }
    await tx
      .insert(goldenExamples)
      .values({ candidateId: after.id, field, modelValue: model ?? null, humanValue: human ?? null, evidence: goldenEvidence(after), userId })
      .onConflictDoUpdate({
        target: [goldenExamples.candidateId, goldenExamples.field],
        set: { humanValue: human ?? null, evidence: goldenEvidence(after), userId, updatedAt: new Date() },
      });
  }
  return changed;
}

export type GoldenLine = {
  candidate_id: string;
  field: string;
  model: unknown;
  human: unknown;
  evidence: unknown;
  status: string;
  is_demo: boolean;
  corrected_at: string;
};

/** The golden dataset as JSON lines, in pages (keyset by id) so a large export never sits in memory at once. */
export async function* goldenJsonLines(db: Executor = getDb(), pageSize = 1000): AsyncGenerator<string> {
  let after = 0;
  while (true) {
    const rows = await db
      .select({ g: goldenExamples, status: candidates.currentStatus, isDemo: candidates.isDemo })
      .from(goldenExamples)
      .innerJoin(candidates, eq(candidates.id, goldenExamples.candidateId))
      .where(gt(goldenExamples.id, after))
      .orderBy(asc(goldenExamples.id))
      .limit(pageSize);
    for (const r of rows) {
      const line: GoldenLine = {
        candidate_id: String(r.g.candidateId),
        field: r.g.field,
        model: r.g.modelValue,
        human: r.g.humanValue,
        evidence: r.g.evidence,
        status: r.status,
        is_demo: r.isDemo,
        corrected_at: r.g.updatedAt.toISOString(),
      };
      yield JSON.stringify(line) + '\n';
    }
    if (rows.length < pageSize) return;
    after = rows.at(-1)!.g.id;
  }
}

export type GoldenReport = {
  reviewed: number;
  accepted: number;
  rejected: number;
  precision: number | null;
  fields: { field: 'product_name' | 'category_path' | 'clip'; accepted: number; matched: number; rate: number | null }[];
  clipMeanIou: number | null;
};

const iou = (a: { start: number; end: number }, b: { start: number; end: number }) => {
  const inter = Math.max(0, Math.min(a.end, b.end) - Math.max(a.start, b.start));
  const union = Math.max(a.end, b.end) - Math.min(a.start, b.start);
  return union > 0 ? inter / union : 0;
};

/**
 * How well the pipeline did against the operators' final decisions: candidate precision (approved or published vs
 * rejected) and, over accepted candidates, how often product name, category and clip were kept as the model wrote
 * them. Demo rows are left out.
 */
export async function evaluateGolden(db: Executor = getDb()): Promise<GoldenReport> {
  const counts = await db.execute(sql`
    SELECT count(*) FILTER (WHERE current_status IN ('approved', 'published'))::int AS accepted,
           count(*) FILTER (WHERE current_status IN ('rejected'))::int AS rejected
    FROM candidates WHERE NOT is_demo`);
  const { accepted, rejected } = counts.rows[0] as { accepted: number; rejected: number };
  const corrected = await db.execute(sql`
    SELECT g.field, count(*)::int AS n FROM golden_examples g JOIN candidates c ON c.id = g.candidate_id
    WHERE NOT c.is_demo AND c.current_status IN ('approved', 'published') GROUP BY g.field`);
  const correctedBy = new Map((corrected.rows as { field: string; n: number }[]).map((r) => [r.field, Number(r.n)]));
  const clips = await db.execute(sql`
    SELECT g.model_value AS model, g.human_value AS human FROM golden_examples g JOIN candidates c ON c.id = g.candidate_id
    WHERE NOT c.is_demo AND c.current_status IN ('approved', 'published') AND g.field = 'clip'`);
  const clipRows = clips.rows as { model: { start: number; end: number }; human: { start: number; end: number } }[];
  const clipCorrectedIou = clipRows.reduce((s, r) => s + iou(r.model, r.human), 0);
  const fields = (['product_name', 'category_path', 'clip'] as const).map((field) => {
    const matched = accepted - (correctedBy.get(field) ?? 0);
    return { field, accepted, matched, rate: accepted ? matched / accepted : null };
  });
  return {
    reviewed: accepted + rejected,
    accepted,
    rejected,
    precision: accepted + rejected ? accepted / (accepted + rejected) : null,
    fields,
    // Uncorrected clips count as a perfect overlap.
    clipMeanIou: accepted ? (clipCorrectedIou + (accepted - clipRows.length)) / accepted : null,
  };
}
