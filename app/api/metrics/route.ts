import { NextResponse } from 'next/server';
import { principalFromBearer } from '@/src/server/auth';
import { toHttpError } from '@/src/server/auth/with-api';
import { whenReady } from '@/src/server/ready';
import { renderMetrics } from '@/src/server/ops/metrics';

export const dynamic = 'force-dynamic';

/** Prometheus scrape endpoint: `Authorization: Bearer <API_TOKEN or an API token from 설정>`. */
export async function GET(req: Request) {
  try {
    await whenReady();
    const m = /^Bearer\s+(.+)$/i.exec(req.headers.get('authorization') ?? '');
    if (!(await principalFromBearer(m?.[1]?.trim()))) {
      return NextResponse.json(
        { error: { code: 'unauthorized', message: 'Send Authorization: Bearer <API token> to read metrics.' } },
        { status: 401 },
      );
    }
    const { contentType, body } = await renderMetrics();
    return new Response(body, { status: 200, headers: { 'content-type': contentType, 'cache-control': 'no-store' } });
  } catch (err) {
    return toHttpError(err);
  }
}
