import { and, asc, desc, eq } from 'drizzle-orm';
import { z } from 'zod';
import { getDb, schema, type Executor } from '@/src/server/db';
import type { CandidateStatus } from '@/src/server/db/schema/candidates';
import { DomainError, errorMessage, notFound } from '@/src/server/errors';
import { log } from '@/src/server/logger';
import { recordCorrections } from '@/src/server/golden';
import { queueReelAfterApproval } from '@/src/server/reels';
import { assignPublicLink } from '@/src/server/link-in-bio';
import { coupangConfigured, createDeeplink } from '@/src/server/integrations/coupang/client';
import { parseCoupangUrl } from './coupang-link';
import { effectiveProductName, toEventDto, withDisclosure, type CandidateRow } from './dto';
import { diffFields, diffToColumns, fieldColumns, sameValue, type DiffField, type FieldDiff } from './fields';
import { loadCandidates } from './list';
import { PIPELINE_ACTOR } from './pipeline/automatic-statuses';
import { COPY_FIELDS, renameInCopy, type CopyField, type CopyFields } from './rename-copy';
import type { CandidateDto, CandidateEdit, CandidateEventDto, patchCandidateInput, transitionCandidateInput } from './schemas';
import { approveVia, checkTransition, type BulkTarget } from './transitions';

const { candidates, candidateEvents } = schema;

import type { Actor } from '@/src/server/auth/actor';

export type { Actor };
type EventKind = (typeof candidateEvents.$inferInsert)['kind'];

const parseId = (id: string | number) => {
  const n = Number(id);
  if (!Number.isSafeInteger(n) || n <= 0) throw new DomainError('bad_request', `Candidate id must be a positive integer, not ${String(id)}.`, 'id');
  return n;
};

export async function getCandidateOrThrow(id: string | number, db: Executor = getDb()): Promise<CandidateDto> {
  const [c] = await loadCandidates(db, [parseId(id)]);
  if (!c) throw notFound(`Candidate ${id}`);
  return c;
}

export async function listCandidateEvents(id: string | number, db: Executor = getDb()): Promise<CandidateEventDto[]> {
  const n = parseId(id);
  const rows = await db.select().from(candidateEvents).where(eq(candidateEvents.candidateId, n)).orderBy(asc(candidateEvents.at), asc(candidateEvents.id));
  return rows.map(toEventDto);
}

async function lockCandidate(tx: Executor, id: number): Promise<CandidateRow> {
  const [row] = await tx.select().from(candidates).where(eq(candidates.id, id)).for('update');
  if (!row) throw notFound(`Candidate ${id}`);
  return row;
}

function checkVersion(row: CandidateRow, version: number | undefined) {
  if (version !== undefined && version !== row.version) {
    throw new DomainError(
      'conflict',
      `Someone else changed candidate ${row.id} since you loaded it (your version ${version}, now ${row.version}). Reload to see their change, then apply yours again.`,
      'version',
    );
  }
}

/** The columns of a diff's derived entries (system consequences, not the operator's corrections), on one side. */
function derivedColumns(diff: FieldDiff | null, side: 'from' | 'to'): Partial<CandidateRow> {
  const derived: FieldDiff = {};
  for (const [field, change] of Object.entries(diff ?? {}) as [DiffField, NonNullable<FieldDiff[DiffField]>][]) if (change.derived) derived[field] = change;
  return diffToColumns(derived, side);
}

/**
 * Applies column changes, bumps the version, writes the event and the golden pairs — one transaction. Derived diff
 * entries (the copy rewritten for a new product name) are not operator corrections: they stay out of the golden set.
 */
async function applyChange(
  tx: Executor,
  before: CandidateRow,
  change: { columns: Partial<CandidateRow>; kind: EventKind; diff: FieldDiff | null; toStatus?: CandidateStatus; note?: string | null },
  who: Actor,
): Promise<CandidateRow> {
  const [after] = await tx
    .update(candidates)
    .set({ ...change.columns, ...(change.toStatus ? { currentStatus: change.toStatus } : {}), version: before.version + 1, updatedAt: new Date() })
    .where(and(eq(candidates.id, before.id), eq(candidates.version, before.version)))
    .returning();
  if (!after) throw new DomainError('conflict', `Candidate ${before.id} changed while saving; reload and try again.`);
  await tx.insert(candidateEvents).values({
    candidateId: before.id,
    userId: who.userId,
    actor: who.actor,
    kind: change.kind,
    fromStatus: before.currentStatus,
    toStatus: after.currentStatus,
    diff: change.diff && Object.keys(change.diff).length ? (change.diff as Record<string, { from: unknown; to: unknown }>) : null,
    note: change.note ?? null,
  });
  await recordCorrections(tx, { ...before, ...derivedColumns(change.diff, 'to') }, after, who.userId);
  return after;
}

/**
 * The copy fields whose current value an operator wrote (an edit event of theirs set it, not derived from a rename):
 * a rename leaves those as they are.
 */
async function operatorWrittenCopy(tx: Executor, row: CandidateRow): Promise<Set<CopyField>> {
  const edits = await tx
    .select({ actor: candidateEvents.actor, diff: candidateEvents.diff })
    .from(candidateEvents)
    .where(and(eq(candidateEvents.candidateId, row.id), eq(candidateEvents.kind, 'edit')));
  const out = new Set<CopyField>();
  for (const e of edits) {
    if (e.actor === PIPELINE_ACTOR || !e.diff) continue;
    const diff = e.diff as FieldDiff;
    for (const f of COPY_FIELDS) {
      const d = diff[f];
      if (d && !d.derived && sameValue(d.to, row[fieldColumns[f]])) out.add(f);
    }
  }
  return out;
}

/**
 * When an edit changes the product name the operator sees, the generated copy (hook, caption, titles, hashtags) is
 * rewritten with the new name, as derived diff entries of the same event (undone with it). Fields the edit itself
 * sets, and fields an operator wrote earlier, are kept as they are.
 */
async function copyForRename(tx: Executor, row: CandidateRow, edit: CandidateEdit): Promise<FieldDiff> {
  if (edit.product_name_manual === undefined) return {};
  const oldName = effectiveProductName(row);
  const newName = effectiveProductName({ productNameAi: row.productNameAi, productNameManual: edit.product_name_manual });
  if (oldName === newName) return {};
  const written = await operatorWrittenCopy(tx, row);
  const current: Partial<CopyFields> = {};
  for (const f of COPY_FIELDS) {
    if (edit[f] !== undefined || written.has(f)) continue;
    (current as Record<string, unknown>)[f] = row[fieldColumns[f]];
  }
  const renamed = renameInCopy(current, { oldName, newName, categoryPath: edit.category_path !== undefined ? edit.category_path : row.categoryPath });
  const diff = diffFields(row, renamed as Partial<Record<DiffField, unknown>>);
  for (const d of Object.values(diff)) d!.derived = true;
  return diff;
}

const FINAL: CandidateStatus[] = ['published', 'rejected', 'archived'];

/** Edits fields of the record. The edit names the version it was based on; a stale one is refused (409). */
export async function updateCandidate(id: string | number, input: z.infer<typeof patchCandidateInput>, who: Actor): Promise<CandidateDto> {
  const n = parseId(id);
  const { version, note, ...fields } = input;
  const edit: CandidateEdit = { ...fields };
  if (edit.summary_for_caption !== undefined) edit.summary_for_caption = withDisclosure(edit.summary_for_caption);
  if (edit.product_name_manual !== undefined && edit.product_name_manual !== null && !edit.product_name_manual.trim()) edit.product_name_manual = null;
  if (edit.category_path !== undefined && edit.category_path !== null) {
    const levels = edit.category_path.split('>').map((s) => s.trim()).filter(Boolean);
    if (levels.length > 3) throw new DomainError('bad_request', 'category_path has at most 3 levels (대 > 중 > 소).', 'category_path');
    edit.category_path = levels.length ? levels.join(' > ') : null;
  }
  const db = getDb();
  const after = await db.transaction(async (tx) => {
    const row = await lockCandidate(tx, n);
    checkVersion(row, version);
    const start = edit.clip_start_time ?? row.clipStartTime;
    const end = edit.clip_end_time ?? row.clipEndTime;
    if (end <= start) throw new DomainError('bad_request', `clip_end_time (${end}) must be after clip_start_time (${start}).`, 'clip_end_time');
    const diff = diffFields(row, edit as Partial<Record<DiffField, unknown>>);
    if (!Object.keys(diff).length) return row;
    Object.assign(diff, await copyForRename(tx, row, edit));
    return applyChange(tx, row, { columns: diffToColumns(diff, 'to'), kind: 'edit', diff, note }, who);
  });
  log.info({ candidateId: n, actor: who.actor, version: after.version }, 'candidate edited');
  return getCandidateOrThrow(n, db);
}

/** The note of the override event when a 낮은 점수 candidate is approved (it passes through review). */
export const APPROVE_OVERRIDE_NOTE = '운영자 승인: 낮은 점수 판정을 넘어 검토 대기를 거쳐 승인';

/** One move along the status graph in its own transaction; returns the new status. */
async function moveCandidate(n: number, input: z.infer<typeof transitionCandidateInput>, who: Actor, db: Executor): Promise<CandidateStatus> {
  if ((input.to === 'rejected' || input.to === 'archived') && !input.note?.trim()) {
    throw new DomainError('bad_request', 'Give a reason (note) when rejecting or archiving a candidate.', 'note');
  }
  return db.transaction(async (tx) => {
    let row = await lockCandidate(tx, n);
    checkVersion(row, input.version);
    const at = new Date();
    const columns: Partial<CandidateRow> =
      input.to === 'published' ? { publishedAt: at } : { reviewedAt: at, reviewedBy: who.userId };
    // Approving a 낮은 점수 candidate: the operator's override to needs_review first, as its own event.
    const via = input.to === 'approved' ? approveVia[row.currentStatus] : undefined;
    if (via) row = await applyChange(tx, row, { columns, kind: 'transition', diff: null, toStatus: via, note: APPROVE_OVERRIDE_NOTE }, who);
    const check = checkTransition(row.currentStatus, input.to, { hasCoupangLink: !!(row.coupangUrlManual ?? row.coupangUrlAi) });
    if (!check.ok) throw new DomainError('invalid_transition', check.reason, 'to');
    const after = await applyChange(tx, row, { columns, kind: 'transition', diff: null, toStatus: input.to, note: input.note }, who);
    // A published product gets its public short link (/l/p/<slug>) in the same transaction; it keeps it for good.
    if (after.currentStatus === 'published') await assignPublicLink(tx, after.id, effectiveProductName(after));
    return after.currentStatus;
  });
}

/** Moves a candidate along the status graph of PRODUCT.md; anything else is refused with the reason (409). */
export async function transitionCandidate(
  id: string | number,
  input: z.infer<typeof transitionCandidateInput>,
  who: Actor,
  db: Executor = getDb(),
): Promise<CandidateDto> {
  const n = parseId(id);
  await moveCandidate(n, input, who, db);
  log.info({ candidateId: n, actor: who.actor, to: input.to }, 'candidate moved');
  if (input.to === 'approved') await queueReelAfterApproval(n, who);
  return getCandidateOrThrow(n, db);
}

export type BulkResult = { id: string; ok: boolean; status?: CandidateStatus; error?: { code: string; message: string } };

/**
 * Moves several candidates (approve, reject, archive, publish, restore); each is its own transaction, so one refusal
 * does not block the rest.
 */
export async function transitionCandidates(ids: string[], to: BulkTarget, note: string | undefined, who: Actor): Promise<BulkResult[]> {
  const out: BulkResult[] = [];
  const db = getDb();
  for (const id of [...new Set(ids)]) {
    try {
      const status = await moveCandidate(parseId(id), { to, note }, who, db);
      out.push({ id, ok: true, status });
      if (status === 'approved') await queueReelAfterApproval(Number(id), who);
    } catch (e) {
      if (!(e instanceof DomainError)) throw e;
      out.push({ id, ok: false, error: { code: e.code, message: e.message } });
    }
  }
  log.info({ actor: who.actor, to, ok: out.filter((r) => r.ok).length, failed: out.filter((r) => !r.ok).length }, 'candidates moved in bulk');
  return out;
}

export type LinkResult = { candidate: CandidateDto; deepLink: 'created' | 'not_configured' | 'failed'; message: string };

/**
 * Attaches a Coupang link pasted by the operator. A filtered candidate (no Coupang match) returns to needs_review.
 * Without a Coupang Partners client configured the manual URL is stored as it is, and the answer says so.
 */
export async function attachCoupangLink(id: string | number, input: { url: string; version?: number }, who: Actor): Promise<LinkResult> {
  const n = parseId(id);
  const pasted = parseCoupangUrl(input.url).toString();
  const db = getDb();
  const [current] = await db.select({ videoId: candidates.videoId }).from(candidates).where(eq(candidates.id, n));
  if (!current) throw notFound(`Candidate ${n}`);
  // The deep link is made before the row is locked: an external call never holds a candidate lock.
  let url = pasted;
  let deep: { status: LinkResult['deepLink']; message: string };
  if (!coupangConfigured()) {
    deep = {
      status: 'not_configured',
      message: '쿠팡 파트너스 키가 설정되지 않아 붙여 넣은 주소를 그대로 링크로 저장했습니다(수익 링크 아님). 키를 설정한 뒤 다시 연결하면 파트너스 링크가 만들어집니다.',
    };
  } else if (/^link\.coupang\.com$/i.test(new URL(pasted).hostname)) {
    deep = { status: 'created', message: '붙여 넣은 주소가 이미 쿠팡 파트너스 링크입니다.' };
  } else {
    try {
      const link = await createDeeplink(pasted, `c${n}`, { videoId: current.videoId, candidateId: n });
      url = link.shortenUrl;
      deep = { status: 'created', message: '쿠팡 파트너스 링크를 만들었습니다.' };
    } catch (e) {
      log.warn({ candidateId: n, err: errorMessage(e) }, 'coupang deep link failed; pasted URL stored');
      deep = { status: 'failed', message: '쿠팡 파트너스 링크를 만들지 못해 붙여 넣은 주소를 그대로 저장했습니다. 나중에 다시 연결하면 수익 링크가 만들어집니다.' };
    }
  }
  await db.transaction(async (tx) => {
    const row = await lockCandidate(tx, n);
    checkVersion(row, input.version);
    if (FINAL.includes(row.currentStatus)) {
      throw new DomainError('invalid_transition', `Candidate ${n} is ${row.currentStatus}; a link can no longer be attached.`, 'url');
    }
    const fields: Partial<Record<DiffField, unknown>> = { coupang_url_manual: url, is_coupang_product: true, search_status: 'manual' };
    const diff = diffFields(row, fields);
    const restore = row.currentStatus === 'filtered_no_coupang';
    if (!Object.keys(diff).length && !restore) return;
    await applyChange(
      tx,
      row,
      { columns: diffToColumns(diff, 'to'), kind: 'link', diff, toStatus: restore ? 'needs_review' : undefined, note: deep.message },
      who,
    );
  });
  log.info({ candidateId: n, actor: who.actor }, 'coupang link attached');
  return { candidate: await getCandidateOrThrow(n, db), deepLink: deep.status, message: deep.message };
}

const UNDOABLE: EventKind[] = ['transition', 'edit', 'link'];
/** How an undo names what it undid in the history (Korean, like every note the operator reads). */
const UNDONE_KIND: Record<string, string> = { transition: '상태 변경', edit: '수정', link: '링크 연결' };

/**
 * Undoes the most recent operator action on a candidate that has not been undone yet (repeatable, like a stack):
 * the status and fields go back to what they were, recorded as an 'undo' event. Refused when the candidate has
 * changed since in a way the undo would overwrite.
 */
export async function undoLastAction(id: string | number, who: Actor): Promise<CandidateDto> {
  const n = parseId(id);
  const db = getDb();
  await db.transaction(async (tx) => {
    const row = await lockCandidate(tx, n);
    const events = await tx.select().from(candidateEvents).where(eq(candidateEvents.candidateId, n)).orderBy(desc(candidateEvents.at), desc(candidateEvents.id));
    let pending = 0;
    let target: (typeof events)[number] | undefined;
    for (const e of events) {
      if (e.kind === 'undo') pending++;
      else if (UNDOABLE.includes(e.kind)) {
        if (pending > 0) pending--;
        else {
          target = e;
          break;
        }
      }
    }
    if (!target) throw new DomainError('conflict', `Nothing to undo on candidate ${n}.`);
    const diff = (target.diff ?? {}) as FieldDiff;
    const statusChanged = target.fromStatus && target.toStatus && target.fromStatus !== target.toStatus;
    if (statusChanged && row.currentStatus !== target.toStatus) {
      throw new DomainError('conflict', `Candidate ${n} is ${row.currentStatus} now, no longer ${target.toStatus}; the last action cannot be undone.`);
    }
    for (const [field, change] of Object.entries(diff) as [DiffField, { from: unknown; to: unknown }][]) {
      if (!(field in fieldColumns) || !sameValue(row[fieldColumns[field]], change.to)) {
        throw new DomainError('conflict', `Candidate ${n} changed since (${field}); the last action cannot be undone.`);
      }
    }
    const reversed: FieldDiff = {};
    for (const [field, change] of Object.entries(diff) as [DiffField, NonNullable<FieldDiff[DiffField]>][]) {
      reversed[field] = { from: change.to, to: change.from, ...(change.derived ? { derived: true } : {}) };
    }
    const columns: Partial<CandidateRow> = diffToColumns(diff, 'from');
    if (statusChanged && target.toStatus === 'published') columns.publishedAt = null;
    await applyChange(
      tx,
      row,
      {
        columns,
        kind: 'undo',
        diff: reversed,
        toStatus: statusChanged ? (target.fromStatus as CandidateStatus) : undefined,
        note: `#${target.id} ${UNDONE_KIND[target.kind] ?? target.kind} 되돌리기`,
      },
      who,
    );
  });
  log.info({ candidateId: n, actor: who.actor }, 'candidate action undone');
  return getCandidateOrThrow(n, db);
}
