import { NextResponse } from 'next/server';
import { withApi } from '@/src/server/auth/with-api';
import { retryVideo } from '@/src/server/videos';

/** Retries a failed video from the stage that failed → 202 {id, video}. */
export const POST = withApi({}, async ({ params }) => {
  const video = await retryVideo(params.id ?? '');
  return NextResponse.json({ id: video.id, video }, { status: 202 });
});
