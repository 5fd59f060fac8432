import { ko } from '@/app/_i18n/ko';
import { listVideos } from '@/src/server/videos';
import { SampleVideoButton } from '@/app/_components/sample-video-button';
import { VideoTable } from './video-table';

export default async function VideosPage() {
  const first = await listVideos({ limit: 100 });
  return (
    <>
      <h1>{ko.videos.title}</h1>
      {first.items.length === 0 && <SampleVideoButton />}
      <VideoTable initial={first.items} />
    </>
  );
}
