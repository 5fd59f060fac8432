export { analyzeWindowVisuals, findingsOfWindow, productBox, evidenceScore, type WindowProgress } from './analyze-window';
export { clipSpan, type Span } from './visible-span';
export { laplacianVariance, differenceHash, hammingDistance, selectFrames } from './frame-quality';
export { collectWindowVisualEvidence, type WindowEvidenceResult } from './window-evidence';
