import { NextResponse } from 'next/server';
import { actorOf } from '@/src/server/auth';
import { withApi } from '@/src/server/auth/with-api';
import { sheetsStatus, syncSheets } from '@/src/server/sheets';

/** Runs a Google Sheets sync now → 200 with what was imported and exported; 503 not_configured without credentials. */
export const POST = withApi({}, async ({ principal }) => {
  const actor = actorOf(principal);
  return NextResponse.json(await syncSheets(actor.actor, actor.userId));
});

/** Configuration and the last sync. */
export const GET = withApi({}, async () => NextResponse.json(await sheetsStatus()));
