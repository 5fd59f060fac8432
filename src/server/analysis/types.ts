/** Shared inputs and outputs of the analysis passes (PRODUCT.md steps 6–8). Times are seconds from video start. */

export type TranscriptSegment = { start: number; end: number; text: string };

export type RecommendationWindow = {
  start: number;
  end: number;
  /** Short Korean explanation naming the signals that fired. */
  reason: string;
  confidence: number;
  /** Machine-readable signal ids, `<family>:<label>`. */
  signals: string[];
  method: 'rule' | 'llm';
};

export type Box = { x: number; y: number; width: number; height: number };

/** `box`: where the line stands in the frame, when the OCR engine says (its height is how prominent the text is). */
export type OcrLine = { text: string; confidence: number; t: number; engine: string; box?: Box };

export type Detection = {
  label: string;
  score: number;
  t: number;
  box: { x: number; y: number; width: number; height: number };
};
