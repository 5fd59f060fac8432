import { NextResponse } from 'next/server';
import { withApi } from '@/src/server/auth/with-api';
import { analyzeSampleVideo } from '@/src/server/videos/sample-video';

/** "샘플 영상으로 체험하기": analyzes the bundled sample vlog (no key, no model needed). 202 new, 200 already there. */
export const POST = withApi({}, async () => {
  const { video, created } = await analyzeSampleVideo();
  return NextResponse.json({ id: video.id, video }, { status: created ? 202 : 200 });
});
