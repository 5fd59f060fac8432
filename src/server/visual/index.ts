export { analyzeWindowVisuals, findingsOfWindow, productBox, evidenceScore } from './analyze-window';
export { clipSpan, type Span } from './visible-span';
export { laplacianVariance, differenceHash, hammingDistance, selectFrames } from './frame-quality';
export { collectWindowVisualEvidence, type WindowEvidenceResult } from './window-evidence';
