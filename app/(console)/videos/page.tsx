import type { Metadata } from 'next';
import Link from 'next/link';
import { ko } from '@/app/_i18n/ko';
import { requireOperator } from '@/src/server/auth/current';
import { listVideos } from '@/src/server/videos';
import { SampleVideoButton } from '@/app/_components/sample-video-button';
import { VideoTable, type VideoView } from './video-table';

export const metadata: Metadata = { title: ko.pageTitles.videos };

const PAGE_SIZE = 50;

const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);

/** 영상: every video, newest first, 50 to a page; 실패만 shows the failed ones with their retry. The view is the URL. */
export default async function VideosPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  // The layout's check runs beside this page, not before it: check here too, before any data is read (a forged
  // cookie got a redirect whose body carried this page's data).
  await requireOperator();
  const sp = await searchParams;
  const channelId = first(sp.channelId);
  const cursor = first(sp.cursor);
  const view: VideoView = {
    channelId: channelId && /^\d{1,15}$/.test(channelId) ? channelId : undefined,
    stage: first(sp.stage) === 'failed' ? 'failed' : undefined,
    cursor: cursor && /^\d{1,15}$/.test(cursor) ? cursor : undefined,
  };
  const page = await listVideos({ limit: PAGE_SIZE, channelId: view.channelId, stage: view.stage, cursor: view.cursor, counts: '1' });
  return (
    <>
      <h1>{ko.videos.title}</h1>
      {view.channelId ? (
        <p className="notice">
          {ko.videos.channelOnly} <Link href={view.stage ? '/videos?stage=failed' : '/videos'}>{ko.videos.allChannels}</Link>
        </p>
      ) : null}
      {page.counts?.all === 0 && !view.channelId ? <SampleVideoButton /> : null}
      <VideoTable view={view} pageSize={PAGE_SIZE} initial={{ items: page.items, nextCursor: page.nextCursor, counts: page.counts ?? { all: 0, failed: 0 } }} />
    </>
  );
}
