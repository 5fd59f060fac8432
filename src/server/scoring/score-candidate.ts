/**
 * Candidate attractiveness score (PRODUCT.md step 11):
 * total = Math.round(100 × (0.50·S + 0.35·E + 0.15·I)), each component 0..1 with its evidence.
 */
import { scoreInfluencer, type ChannelStats, type VideoStats } from './influencer-score';
import { scoreEndorsement, scoreSentiment, type EndorsementType } from './text-scores';

export type ScoreInput = {
  /** The recommendation window's transcript text. */
  speech: string;
  channel?: ChannelStats | null;
  video?: VideoStats | null;
  endorsementType?: EndorsementType | null;
};

export type ScoreDetails = {
  total: number;
  sentiment_score: number;
  endorsement_score: number;
  influencer_score: number;
  evidence: { sentiment: string[]; endorsement: string[]; influencer: string[] };
};

export const SCORE_WEIGHTS = { sentiment: 0.5, endorsement: 0.35, influencer: 0.15 } as const;

export function totalScore(s: number, e: number, i: number): number {
  return Math.round(100 * (SCORE_WEIGHTS.sentiment * s + SCORE_WEIGHTS.endorsement * e + SCORE_WEIGHTS.influencer * i));
}

export function scoreCandidate(input: ScoreInput): ScoreDetails {
  const sentiment = scoreSentiment(input.speech);
  const endorsement = scoreEndorsement(input.speech, input.endorsementType);
  const influencer = scoreInfluencer(input.channel, input.video);
  const s = round3(sentiment.score);
  const e = round3(endorsement.score);
  const i = round3(influencer.score);
  return {
    total: totalScore(s, e, i),
    sentiment_score: s,
    endorsement_score: e,
    influencer_score: i,
    evidence: { sentiment: sentiment.evidence, endorsement: endorsement.evidence, influencer: influencer.evidence },
  };
}

const round3 = (n: number) => Math.round(n * 1000) / 1000;
