import { ko } from '@/app/_i18n/ko';
import { SampleVideoButton } from '@/app/_components/sample-video-button';
import { CandidateQueue } from '@/app/_components/candidates/candidate-queue';
import { viewFromParams } from '@/app/_components/candidates/view';
import { candidateFilterOptions, listCandidates } from '@/src/server/candidates';
import { listCandidatesQuery } from '@/src/server/candidates/schemas';
import { errorMessage } from '@/src/server/errors';

export const dynamic = 'force-dynamic';

/** 후보: the review queue. The whole view (tab, sort, order, filters, cursor) is the URL. */
export default async function CandidatesPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const view = viewFromParams(await searchParams);
  const parsed = listCandidatesQuery.safeParse({ ...view, counts: '1' });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return (
      <>
        <h1>{ko.candidates.title}</h1>
        <div className="notice error" role="alert">
          {ko.review.loadError}: {issue.path.join('.')} — {issue.message}
        </div>
      </>
    );
  }
  try {
    const [page, options] = await Promise.all([listCandidates(parsed.data), candidateFilterOptions()]);
    const total = Object.values(page.counts ?? {}).reduce((a, b) => a + b, 0);
    const filtered = ['q', 'category', 'celebrityId', 'channelId', 'videoId', 'scoreMin', 'scoreMax', 'ppl', 'method', 'demo'].some((k) => k in view);
    if (total === 0 && !filtered) {
      return (
        <>
          <h1>{ko.candidates.title}</h1>
          <div className="empty">{ko.candidates.empty}</div>
          <SampleVideoButton />
        </>
      );
    }
    return (
      <>
        <h1>{ko.candidates.title}</h1>
        <CandidateQueue view={view} items={page.items} nextCursor={page.nextCursor} counts={page.counts!} countsCapped={page.countsCapped ?? []} options={options} filtered={filtered} />
      </>
    );
  } catch (e) {
    return (
      <>
        <h1>{ko.candidates.title}</h1>
        <div className="notice error" role="alert">
          {ko.review.loadError}: {errorMessage(e)}
        </div>
      </>
    );
  }
}
