import { NextResponse } from 'next/server';
import { actorOf } from '@/src/server/auth';
import { withApi } from '@/src/server/auth/with-api';
import { getDb } from '@/src/server/db';
import { retryJob } from '@/src/server/ops/dashboard';
import { audit } from '@/src/server/settings';

/** Puts a failed job back in its queue. */
export const POST = withApi({}, async ({ principal, params }) => {
  await retryJob(params.queue, params.id);
  await audit(getDb(), actorOf(principal), 'job.retry', `${params.queue}:${params.id}`);
  return NextResponse.json({ ok: true }, { status: 202 });
});
