import { ko } from '@/app/_i18n/ko';
import { listVideos } from '@/src/server/videos';
import { SampleVideoButton } from '@/app/_components/sample-video-button';
import { VideoTable } from './video-table';

export default async function VideosPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const raw = (await searchParams).channelId;
  const channelId = typeof raw === 'string' && /^\d+$/.test(raw) ? raw : undefined;
  const first = await listVideos({ limit: 100, channelId });
  return (
    <>
      <h1>{ko.videos.title}</h1>
      {first.items.length === 0 && <SampleVideoButton />}
      <VideoTable initial={first.items} channelId={channelId} />
    </>
  );
}
