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
