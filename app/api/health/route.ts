import { NextResponse } from 'next/server';
import { startApp } from '@/src/server/bootstrap';
import { getHealth } from '@/src/server/health';

export const dynamic = 'force-dynamic';

/** Unauthenticated: load balancers and the container HEALTHCHECK read it. 503 when the database or queue is down. */
export async function GET() {
  let startError: unknown;
  await startApp().catch((e) => (startError = e));
  const health = await getHealth(startError);
  return NextResponse.json(health, { status: health.status === 'down' ? 503 : 200, headers: { 'cache-control': 'no-store' } });
}
