import type { CandidateRow } from './dto';

/** Record field (snake_case, as in the API and event diffs) → candidates column. Only these are diffed and undone. */
export const fieldColumns = {
  product_name_manual: 'productNameManual',
  category_path: 'categoryPath',
  clip_start_time: 'clipStartTime',
  clip_end_time: 'clipEndTime',
  features: 'features',
  hook_sentence: 'hookSentence',
  summary_for_caption: 'summaryForCaption',
  target_audience: 'targetAudience',
  price_point: 'pricePoint',
  endorsement_type: 'endorsementType',
  recommended_titles: 'recommendedTitles',
  recommended_hashtags: 'recommendedHashtags',
  is_ppl: 'isPpl',
  coupang_url_manual: 'coupangUrlManual',
  is_coupang_product: 'isCoupangProduct',
  search_status: 'coupangSearchStatus',
} as const satisfies Record<string, keyof CandidateRow>;
export type DiffField = keyof typeof fieldColumns;
/** `derived`: set by the system as a consequence of another field's change (the copy rewritten for a renamed product). */
export type FieldDiff = Partial<Record<DiffField, { from: unknown; to: unknown; derived?: boolean }>>;

export const sameValue = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/** The fields whose values differ between a row and a set of new values, as a diff. */
export function diffFields(row: CandidateRow, next: Partial<Record<DiffField, unknown>>): FieldDiff {
  const diff: FieldDiff = {};
  for (const [field, value] of Object.entries(next) as [DiffField, unknown][]) {
    if (value === undefined) continue;
    const current = row[fieldColumns[field]];
    if (!sameValue(current, value)) diff[field] = { from: current ?? null, to: value ?? null };
  }
  return diff;
}

/** A diff's target values as column updates (to = 'to' applies it, 'from' reverts it). */
export function diffToColumns(diff: FieldDiff, side: 'from' | 'to'): Partial<CandidateRow> {
  const out: Record<string, unknown> = {};
  for (const [field, change] of Object.entries(diff) as [DiffField, { from: unknown; to: unknown }][]) {
    if (field in fieldColumns) out[fieldColumns[field]] = change[side];
  }
  return out as Partial<CandidateRow>;
}
