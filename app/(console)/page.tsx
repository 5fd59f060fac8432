import type { Metadata } from 'next';
import Link from 'next/link';
import { ko } from '@/app/_i18n/ko';
import { requireOperator } from '@/src/server/auth/current';
import { SampleVideoButton } from '@/app/_components/sample-video-button';
import { CandidateQueue } from '@/app/_components/candidates/candidate-queue';
import { viewFromParams } from '@/app/_components/candidates/view';
import { bulkActionsFor, candidateFilterOptions, listCandidates } from '@/src/server/candidates';
import { candidateTabs, listCandidatesQuery, reviewProgress } from '@/src/server/candidates/schemas';
import { errorMessage } from '@/src/server/errors';
import { log } from '@/src/server/logger';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: ko.pageTitles.candidates };

/** 후보: the review queue. The whole view (tab, sort, order, filters, cursor) is the URL. */
export default async function CandidatesPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  // The layout's check runs beside this page, not before it: check here too, before any data is read (a forged
  // cookie got a redirect whose body carried this page's data).
  await requireOperator();
  const view = viewFromParams(await searchParams);
  const parsed = listCandidatesQuery.safeParse({ ...view, counts: '1' });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return (
      <>
        <h1>{ko.candidates.title}</h1>
        <div className="notice error" role="alert">
          {ko.candidates.badView} <code>{issue.path.join('.')}</code> · <Link href="/">{ko.review.filters.reset}</Link>
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
        <CandidateQueue
          view={view}
          items={page.items}
          nextCursor={page.nextCursor}
          counts={page.counts!}
          countsCapped={page.countsCapped ?? []}
          options={options}
          filtered={filtered}
          progress={reviewProgress(page.counts!, page.countsCapped)}
          bulkActions={bulkActionsFor(candidateTabs[parsed.data.tab])}
        />
      </>
    );
  } catch (e) {
    log.error({ err: errorMessage(e) }, 'candidate list failed');
    return (
      <>
        <h1>{ko.candidates.title}</h1>
        <div className="notice error" role="alert">
          {ko.review.loadError}. {ko.errors.codes.internal}
        </div>
      </>
    );
  }
}
