import { NextResponse } from 'next/server';
import { getHealth } from '@/src/server/ops/health';
import { startState } from '@/src/server/ready';

export const dynamic = 'force-dynamic';

/**
 * Unauthenticated: load balancers and the container HEALTHCHECK read it. 503 while the process is still starting,
 * when it could not start, or when the database or queue is down.
 */
export async function GET() {
  const start = startState();
  const health = await getHealth(start.state === 'ready' ? undefined : (start.error ?? new Error('starting')));
  return NextResponse.json(health, { status: health.status === 'down' ? 503 : 200, headers: { 'cache-control': 'no-store' } });
}
