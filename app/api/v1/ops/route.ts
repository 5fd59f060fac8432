import { NextResponse } from 'next/server';
import { withApi } from '@/src/server/auth/with-api';
import { getOpsOverview } from '@/src/server/ops/dashboard';

/** Queues, failed jobs, throughput, stage timings, usage/cost, quotas, budget and integrations. */
export const GET = withApi({}, async () => NextResponse.json(await getOpsOverview()));
