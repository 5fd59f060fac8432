import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { ko } from '@/app/_i18n/ko';
import { requireOperator } from '@/src/server/auth/current';
import { Time } from '@/app/_components/time';
import { VideoError } from '@/app/_components/video-error';
import { RefreshWhile } from '@/app/(console)/ops/actions';
import { DomainError } from '@/src/server/errors';
import { getVideoWithCandidates } from '@/src/server/videos';
import type { VideoDto } from '@/src/server/videos/schemas';
import { VideoRetry } from './video-retry';

type Props = { params: Promise<{ id: string }> };

async function load(id: string): Promise<VideoDto> {
  try {
    return await getVideoWithCandidates(id);
  } catch (e) {
    if (e instanceof DomainError && e.code === 'not_found') notFound();
    throw e;
  }
}

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  await requireOperator(); // metadata is rendered beside the layout's check too: the title is data
  const { id } = await params;
  try {
    const v = await getVideoWithCandidates(id);
    return { title: `${v.title || v.youtubeId || ko.videos.untitled} · ${ko.pageTitles.video}` };
  } catch (e) {
    if (e instanceof DomainError && e.code === 'not_found') notFound();
    return { title: ko.pageTitles.video };
  }
}

const FINAL = ['done', 'failed', 'skipped'];

/** One video: where it is, what went wrong and what to do, its candidates, and the time each stage took. */
export default async function VideoPage({ params }: Props) {
  // The layout's check runs beside this page, not before it: check here too, before any data is read (a forged
  // cookie got a redirect whose body carried this page's data).
  await requireOperator();
  const v = await load((await params).id);
  const t = ko.videos;
  const d = t.detail;
  const stageClass = v.stage === 'done' ? 'ok' : v.stage === 'failed' ? 'fail' : v.stage === 'skipped' ? 'warn' : '';
  return (
    <div className="stack">
      <p>
        <Link href="/videos">← {d.back}</Link>
      </p>
      <h1>
        {v.title || v.youtubeId || t.untitled} {v.isDemo ? <span className="badge demo">{ko.common.demo}</span> : null}
      </h1>
      <RefreshWhile active={!FINAL.includes(v.stage)} ms={3000} />
      <section className="panel" aria-label={d.stage}>
        <table className="facts">
          <tbody>
            <tr>
              <th>{d.stage}</th>
              <td>
                <span className={`badge ${stageClass}`} data-stage={v.stage}>
                  {ko.stages[v.stage] ?? v.stage}
                </span>
                {v.stage === 'skipped' ? <div className="muted">{(v.skipRule && t.skipRules[v.skipRule]) || v.skipReason}</div> : null}
                {v.error ? <VideoError code={v.error.code} message={v.error.message} stage={v.error.stage} /> : null}
                {v.stage === 'failed' ? <VideoRetry id={v.id} /> : null}
              </td>
            </tr>
            <tr>
              <th>{d.progress}</th>
              <td className="nowrap">
                <progress value={v.progress} max={1} aria-label={d.progress} /> <span className="muted">{Math.round(v.progress * 100)}%</span>
              </td>
            </tr>
            <tr>
              <th>{t.candidates}</th>
              <td>
                {v.candidates?.total ? (
                  <Link href={`/?videoId=${v.id}&tab=${v.candidates.tab ?? 'needs_review'}`}>{t.candidateLink(v.candidates.total)}</Link>
                ) : (
                  <span className="muted">{t.noCandidates}</span>
                )}
              </td>
            </tr>
            <tr>
              <th>{d.source}</th>
              <td>
                {v.sourceUrl ? (
                  <a href={v.sourceUrl} target="_blank" rel="noreferrer noopener">
                    {v.sourceUrl}
                  </a>
                ) : (
                  (t.sourceKinds[v.sourceKind] ?? v.sourceKind)
                )}
              </td>
            </tr>
            {v.durationSeconds ? (
              <tr>
                <th>{d.duration}</th>
                <td>{d.seconds(v.durationSeconds)}</td>
              </tr>
            ) : null}
            {v.publishedAt ? (
              <tr>
                <th>{d.published}</th>
                <td>
                  <Time value={v.publishedAt} />
                </td>
              </tr>
            ) : null}
            <tr>
              <th>{d.created}</th>
              <td>
                <Time value={v.createdAt} />
              </td>
            </tr>
            {v.attempts ? (
              <tr>
                <th>{d.attempts}</th>
                <td>{v.attempts}</td>
              </tr>
            ) : null}
          </tbody>
        </table>
      </section>
      {Object.keys(v.timings).length ? (
        <section className="panel" aria-label={d.timings}>
          <h2>{d.timings}</h2>
          <table className="facts">
            <tbody>
              {Object.entries(v.timings).map(([stage, seconds]) => (
                <tr key={stage}>
                  <th>{ko.stages[stage] ?? stage}</th>
                  <td>{d.seconds(seconds)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      ) : null}
    </div>
  );
}
