import { NextResponse } from 'next/server';
import { withApi } from '@/src/server/auth/with-api';
import { getAllSettings, listAuditEvents } from '@/src/server/settings';

/** Every setting with its current value, and the latest audit events. */
export const GET = withApi({}, async () =>
  NextResponse.json({ settings: await getAllSettings(), audit: await listAuditEvents(30) }),
);
