import { NextResponse } from 'next/server';
import { actorOf } from '@/src/server/auth';
import { withApi } from '@/src/server/auth/with-api';
import { getDb } from '@/src/server/db';
import { retryModelDownloads } from '@/src/server/ops/models';
import { audit } from '@/src/server/settings';

/** After an offline start (or a stalled/corrupt download): download the missing models again, in the background. */
export const POST = withApi({}, async ({ principal }) => {
  const models = await retryModelDownloads();
  await audit(getDb(), actorOf(principal), 'models.retry', 'models');
  return NextResponse.json({ models }, { status: 202 });
});
