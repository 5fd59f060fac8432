import { NextResponse } from 'next/server';
import { actorOf } from '@/src/server/auth';
import { withApi } from '@/src/server/auth/with-api';
import { getReel, requestReel } from '@/src/server/reels';

/**
 * The candidate's vertical Reel draft (1080×1920 MP4). GET: `{status: queued|rendering|ready|failed|null, url, width,
 * height, durationSec, error?, current, blocked}`. POST (review scope): 202 when a render of the candidate as it is now
 * was queued (or is running), 200 when that draft is ready; 409 when the candidate is not approved or its video has
 * no stored media, saying which.
 */
export const GET = withApi({}, async ({ params }) => NextResponse.json(await getReel(params.id)));

export const POST = withApi({}, async ({ params, principal }) => {
  const { queued, reel } = await requestReel(params.id, actorOf(principal));
  return NextResponse.json(reel, { status: queued ? 202 : 200 });
});
