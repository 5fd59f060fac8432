import { ko } from '@/app/_i18n/ko';
import { listVideos } from '@/src/server/videos';
import { VideoTable } from './video-table';

export default async function VideosPage() {
  const first = await listVideos({ limit: 100 });
  return (
    <>
      <h1>{ko.videos.title}</h1>
      <VideoTable initial={first.items} />
    </>
  );
}
