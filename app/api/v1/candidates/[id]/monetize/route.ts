import { NextResponse } from 'next/server';
import { withApi } from '@/src/server/auth/with-api';
import { requestCoupangSearch } from '@/src/server/monetization';

/**
 * On-demand Coupang search for one candidate (any score, e.g. a `deferred` one), within the shared hourly quota:
 * `{status: matched|no_match|deferred|postponed|…}`; a postponed search runs by itself when a slot frees up.
 */
export const POST = withApi({}, async ({ params }) => NextResponse.json(await requestCoupangSearch(params.id)));
