export { scoreCandidate, totalScore, SCORE_WEIGHTS } from './score-candidate';
export type { ScoreDetails, ScoreInput } from './score-candidate';
export { routeCandidate } from './route-candidate';
export type { CandidateRoute, RouteInput } from './route-candidate';
export { scoreSentiment, scoreEndorsement, DEMONSTRATION_LEVEL } from './text-scores';
export type { EndorsementType, ComponentScore } from './text-scores';
export { scoreInfluencer, NEUTRAL_INFLUENCER } from './influencer-score';
export type { ChannelStats, VideoStats } from './influencer-score';
