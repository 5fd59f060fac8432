/** Who the pipeline is in a candidate's history, and the statuses it may still set (anything else an operator decided). */
export const PIPELINE_ACTOR = 'pipeline';
export const AUTOMATIC_STATUSES: ReadonlySet<string> = new Set(['needs_review', 'filtered_no_coupang', 'high_ppl_risk', 'low_score_filtered']);
