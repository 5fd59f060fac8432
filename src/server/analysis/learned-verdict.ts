/**
 * The learned verdict: a logistic model over a recommended episode's evidence and words, trained on the labelled
 * transcripts (`npm run train:verdict` → verdict/model.json). The rules find episodes and judge them first; the model
 * then keeps an episode only when its probability of being a genuine recommendation reaches the model's threshold.
 * Why: phrase rules tuned on one set kept four in ten false windows on fresh sets (someone else's thing, a wish, a
 * product called 비추, a meal); the words around them say so in more ways than rules can list.
 * Pure: the model is data in the repo; training lives in scripts/train-verdict.ts.
 */
import { stemPredicate, stripParticle, words } from './korean-words';
import trained from './verdict/model.json';

export type VerdictModel = {
  threshold: number;
  weights: Record<string, number>;
};

export const VERDICT_MODEL: VerdictModel = trained;

export type EpisodeFeatures = Map<string, number>;

/** What the model reads of a recommended episode (recommendation-episodes.ts's RecommendedEpisode; this file imports none of it). */
export type JudgedEpisode = {
  episode: { lines: readonly { text: string }[]; keys: ReadonlySet<string>; afterAside?: boolean };
  verdict: { counts: Readonly<Record<string, number>>; evidence: number; named: boolean };
};

/**
 * What the model sees of an episode: the verdict's cue counts and evidence, whether it names its product, and each
 * word's stem once (particles and predicate endings off, so "비추예요" and "비추라서" are one feature). Not its length or place
 * in the video: they scored no better in cross-validation and would learn how the labelled videos were written.
 */
export function episodeFeatures(r: JudgedEpisode): EpisodeFeatures {
  const f: EpisodeFeatures = new Map();
  const { verdict: v, episode: e } = r;
  for (const [family, n] of Object.entries(v.counts)) {
    f.set(`count:${family}`, Math.min(n, 4) / 2);
    if (n > 0) f.set(`has:${family}`, 1);
  }
  f.set('named', v.named ? 1 : 0);
  f.set('evidence', Math.min(v.evidence, 5) / 2);
  f.set('afterAside', e.afterAside ? 1 : 0);
  f.set('keys', Math.min(e.keys.size, 3));
  f.set('bias', 1);
  for (const l of e.lines) for (const w of words(l.text)) f.set(`word:${stemPredicate(stripParticle(w))}`, 1);
  return f;
}

export function recommendationProbability(features: EpisodeFeatures, m: VerdictModel = VERDICT_MODEL): number {
  let z = 0;
  for (const [name, x] of features) z += (m.weights[name] ?? 0) * x;
  return 1 / (1 + Math.exp(-z));
}

/** The episodes the model keeps, each with its probability (the window's confidence). */
export function keepLikelyRecommendations<E extends JudgedEpisode>(recommended: readonly E[], m: VerdictModel = VERDICT_MODEL): (E & { probability: number })[] {
  return recommended
    .map((r) => ({ ...r, probability: recommendationProbability(episodeFeatures(r), m) }))
    .filter((r) => r.probability >= m.threshold);
}
