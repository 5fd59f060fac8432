export { analyzeWindowVisuals, findingsOfWindow, productBox, evidenceScore } from './analyze-window';
export { laplacianVariance, differenceHash, hammingDistance, selectFrames } from './frame-quality';
