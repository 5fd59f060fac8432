import type { CandidateStatus } from '@/src/server/db/schema/candidates';

/** The status graph of PRODUCT.md. Nothing is ever approved automatically; every move is an operator's. */
export const allowedTransitions: Record<CandidateStatus, readonly CandidateStatus[]> = {
  needs_review: ['approved', 'rejected', 'under_revision'],
  approved: ['published'],
  filtered_no_coupang: ['needs_review'],
  high_ppl_risk: ['needs_review', 'archived'],
  low_score_filtered: ['needs_review', 'archived'],
  under_revision: ['needs_review'],
  published: [],
  rejected: [],
  archived: [],
};

export type TransitionCheck = { ok: true } | { ok: false; reason: string };

/**
 * Whether a candidate may move from one status to another, and why not. `hasCoupangLink` matters for
 * filtered_no_coupang → needs_review, which is only allowed once a Coupang link is attached.
 */
export function checkTransition(from: CandidateStatus, to: CandidateStatus, ctx: { hasCoupangLink: boolean }): TransitionCheck {
  if (from === to) return { ok: false, reason: `The candidate is already ${to}.` };
  const allowed = allowedTransitions[from];
  if (!allowed.includes(to)) {
    const options = allowed.length ? `allowed from ${from}: ${allowed.join(', ')}` : `${from} is final`;
    return { ok: false, reason: `Cannot move a candidate from ${from} to ${to} (${options}).` };
  }
  if (from === 'filtered_no_coupang' && to === 'needs_review' && !ctx.hasCoupangLink) {
    return { ok: false, reason: 'Attach a Coupang link first: a filtered candidate returns to review only with a link.' };
  }
  return { ok: true };
}

/**
 * Approving a candidate the pipeline routed away from review. A 낮은 점수 candidate is approved by the operator's
 * override: it goes through needs_review (its own event) and is approved in the same action. A PPL-suspect one is not:
 * whether it is an advertisement is checked first and it is restored by hand (its approval stays a separate step).
 */
export const approveVia: Partial<Record<CandidateStatus, CandidateStatus>> = { low_score_filtered: 'needs_review' };

/** Why `approve` cannot be done on a candidate in this status (a code the console words), or null when it can. */
export type ApproveBlocker = 'already_approved' | 'final' | 'needs_link' | 'ppl_review' | 'under_revision';
export function approveBlocker(status: CandidateStatus): ApproveBlocker | null {
  if (allowedTransitions[status].includes('approved') || approveVia[status]) return null;
  if (status === 'approved') return 'already_approved';
  if (status === 'filtered_no_coupang') return 'needs_link';
  if (status === 'high_ppl_risk') return 'ppl_review';
  if (status === 'under_revision') return 'under_revision';
  return 'final';
}

/** The moves a selection can be given at once in the console. */
export const bulkTargets = ['approved', 'rejected', 'archived', 'published', 'needs_review'] as const satisfies readonly CandidateStatus[];
export type BulkTarget = (typeof bulkTargets)[number];

/**
 * The bulk actions that apply to candidates in these statuses (a tab): the moves allowed from any of them, plus approve
 * where it goes through review (approveVia). filtered_no_coupang → needs_review needs a link per candidate, so it is
 * not offered in bulk.
 */
export function bulkActionsFor(statuses: readonly CandidateStatus[]): BulkTarget[] {
  const out = new Set<BulkTarget>();
  for (const s of statuses) {
    for (const to of allowedTransitions[s]) if ((bulkTargets as readonly string[]).includes(to) && s !== 'filtered_no_coupang') out.add(to as BulkTarget);
    if (approveVia[s]) out.add('approved');
  }
  return bulkTargets.filter((t) => out.has(t));
}
