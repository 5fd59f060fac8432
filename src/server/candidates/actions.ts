import { and, asc, desc, eq } from 'drizzle-orm';
import { z } from 'zod';
import { getDb, schema, type Executor } from '@/src/server/db';
import type { CandidateStatus } from '@/src/server/db/schema/candidates';
import { DomainError, errorMessage, notFound } from '@/src/server/errors';
import { log } from '@/src/server/logger';
import { recordCorrections } from '@/src/server/golden';
import { coupangConfigured, createDeeplink } from '@/src/server/integrations/coupang/client';
import { parseCoupangUrl } from './coupang-link';
import { toEventDto, withDisclosure, type CandidateRow } from './dto';
import { diffFields, diffToColumns, fieldColumns, sameValue, type DiffField, type FieldDiff } from './fields';
import { loadCandidates } from './list';
import type { CandidateDto, CandidateEdit, CandidateEventDto, patchCandidateInput, transitionCandidateInput } from './schemas';
import { checkTransition } from './transitions';

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

/** Applies column changes, bumps the version, writes the event and the golden pairs — one transaction. */
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
  await recordCorrections(tx, before, after, who.userId);
  return after;
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
    return applyChange(tx, row, { columns: diffToColumns(diff, 'to'), kind: 'edit', diff, note }, who);
  });
  log.info({ candidateId: n, actor: who.actor, version: after.version }, 'candidate edited');
  return getCandidateOrThrow(n, db);
}

/** Moves a candidate along the status graph of PRODUCT.md; anything else is refused with the reason (409). */
export async function transitionCandidate(
  id: string | number,
  input: z.infer<typeof transitionCandidateInput>,
  who: Actor,
  db: Executor = getDb(),
): Promise<CandidateDto> {
  const n = parseId(id);
  if ((input.to === 'rejected' || input.to === 'archived') && !input.note?.trim()) {
    throw new DomainError('bad_request', 'Give a reason (note) when rejecting or archiving a candidate.', 'note');
  }
  await db.transaction(async (tx) => {
    const row = await lockCandidate(tx, n);
    checkVersion(row, input.version);
    const check = checkTransition(row.currentStatus, input.to, { hasCoupangLink: !!(row.coupangUrlManual ?? row.coupangUrlAi) });
    if (!check.ok) throw new DomainError('invalid_transition', check.reason, 'to');
    const at = new Date();
    const columns: Partial<CandidateRow> =
      input.to === 'published' ? { publishedAt: at } : { reviewedAt: at, reviewedBy: who.userId };
    await applyChange(tx, row, { columns, kind: 'transition', diff: null, toStatus: input.to, note: input.note }, who);
  });
  log.info({ candidateId: n, actor: who.actor, to: input.to }, 'candidate moved');
  return getCandidateOrThrow(n, db);
}

export type BulkResult = { id: string; ok: boolean; status?: CandidateStatus; error?: { code: string; message: string } };

/** Approves or rejects several candidates; each is its own transaction, so one refusal does not block the rest. */
export async function transitionCandidates(ids: string[], to: 'approved' | 'rejected', note: string | undefined, who: Actor): Promise<BulkResult[]> {
  const out: BulkResult[] = [];
  for (const id of [...new Set(ids)]) {
    try {
      const c = await transitionCandidate(id, { to, note }, who);
      out.push({ id, ok: true, status: c.status_info.current_status });
    } catch (e) {
      if (!(e instanceof DomainError)) throw e;
      out.push({ id, ok: false, error: { code: e.code, message: e.message } });
    }
  }
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
    deep = { status: 'not_configured', message: 'Coupang Partners keys are not configured: the pasted URL is stored as the link (no affiliate deep link).' };
  } else if (/^link\.coupang\.com$/i.test(new URL(pasted).hostname)) {
    deep = { status: 'created', message: 'The pasted URL is already a Coupang Partners link.' };
  } else {
    try {
      const link = await createDeeplink(pasted, `c${n}`, { videoId: current.videoId, candidateId: n });
      url = link.shortenUrl;
      deep = { status: 'created', message: `Coupang Partners deep link created for ${pasted}.` };
    } catch (e) {
      deep = { status: 'failed', message: `The Coupang deep link could not be made (${errorMessage(e)}): the pasted URL is stored as the link; attach it again later for an affiliate link.` };
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
    for (const [field, change] of Object.entries(diff) as [DiffField, { from: unknown; to: unknown }][]) reversed[field] = { from: change.to, to: change.from };
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
        note: `undo #${target.id} (${target.kind})`,
      },
      who,
    );
  });
  log.info({ candidateId: n, actor: who.actor }, 'candidate action undone');
  return getCandidateOrThrow(n, db);
}
