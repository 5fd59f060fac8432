import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { cache } from 'react';
import { requireOperator } from '@/src/server/auth/current';
import { ko } from '@/app/_i18n/ko';
import { CandidateDetail } from '@/app/_components/candidates/candidate-detail';
import { viewFromParams } from '@/app/_components/candidates/view';
import { getCandidateOrThrow, listCandidateEvents, neighbourCandidateIds } from '@/src/server/candidates';
import { listCandidatesQuery } from '@/src/server/candidates/schemas';
import { DomainError, errorMessage } from '@/src/server/errors';

export const dynamic = 'force-dynamic';

type Props = { params: Promise<{ id: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };

/** One load per request, shared by the tab title and the page. */
const loadCandidate = cache((id: string) => getCandidateOrThrow(id));

const missing = (e: unknown) => e instanceof DomainError && (e.code === 'not_found' || e.code === 'bad_request');

/** The tab names the product (a candidate that does not exist is the 404 page: see ../../layout.tsx). */
export async function generateMetadata({ params }: Pick<Props, 'params'>): Promise<Metadata> {
  await requireOperator(); // metadata is rendered beside the layout's check too: the title is data
  const { id } = await params;
  try {
    const c = await loadCandidate(id);
    return { title: `${c.candidate_info.product_name || ko.pageTitles.candidate} · ${ko.pageTitles.candidate}` };
  } catch (e) {
    if (missing(e)) notFound();
    return { title: ko.pageTitles.candidate };
  }
}

/** /candidates/[id]: one candidate, with the queue view it was opened from kept in the URL (for j/k and next). */
export default async function CandidatePage(props: Props) {
  // The layout's check runs beside this page, not before it: check here too, before any data is read (a forged
  // cookie got a redirect whose body carried this page's data).
  await requireOperator();
  const { id } = await props.params;
  const view = viewFromParams(await props.searchParams, false);
  try {
    const candidate = await loadCandidate(id);
    const parsed = listCandidatesQuery.safeParse(view);
    const query = parsed.success ? parsed.data : listCandidatesQuery.parse({});
    const [events, neighbours] = await Promise.all([listCandidateEvents(id), neighbourCandidateIds(query, Number(id))]);
    return <CandidateDetail candidate={candidate} events={events} view={parsed.success ? view : {}} neighbours={neighbours} />;
  } catch (e) {
    if (missing(e)) notFound();
    return (
      <div className="notice error" role="alert">
        {ko.common.error}: {errorMessage(e)}
      </div>
    );
  }
}
