export { assessPaidPlacement, levelOf, IMPLICIT_CAP } from './assess-paid-placement';
export type { PplAssessment, PplInput, PplLevel, PplReason, PplSource } from './assess-paid-placement';
export { DEFAULT_PPL_THRESHOLDS, PPL_PATTERNS, EXCLUSION_PHRASES, CATEGORY_WEIGHTS } from './patterns';
export type { PplThresholds, PplPattern, PplCategory } from './patterns';
