import { NextResponse } from 'next/server';
import { withApi } from '@/src/server/auth/with-api';
import { listVideos, submitVideoUrl } from '@/src/server/videos';
import { listVideosQuery, submitVideoInput } from '@/src/server/videos/schemas';

export const GET = withApi({ query: listVideosQuery }, async ({ query }) => NextResponse.json(await listVideos(query)));

export const POST = withApi({ body: submitVideoInput }, async ({ body }) => {
  const { video, created } = await submitVideoUrl(body.url);
  return NextResponse.json({ id: video.id, video }, { status: created ? 202 : 200 });
});
