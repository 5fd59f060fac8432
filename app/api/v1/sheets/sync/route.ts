import { NextResponse } from 'next/server';
import { actorOf } from '@/src/server/auth';
import { withApi } from '@/src/server/auth/with-api';
import { DomainError } from '@/src/server/errors';
import { sheetsStatus, syncSheets } from '@/src/server/sheets';

/** Runs a Google Sheets sync now → 200 with what was imported and exported; 503 not_configured without credentials. */
export const POST = withApi({}, async ({ principal }) => {
  const actor = actorOf(principal);
  try {
    return NextResponse.json(await syncSheets(actor.actor, actor.userId));
  } catch (err) {
    // A failed Google call (IntegrationError; matched by name, the build may hold more than one copy of the class) is
    // a 502 naming Sheets and what it answered, not a bare 500.
    if (err instanceof Error && err.name === 'IntegrationError') throw new DomainError('upstream_failed', `Google Sheets sync failed: ${err.message}`);
    throw err;
  }
});

/** Configuration and the last sync. */
export const GET = withApi({}, async () => NextResponse.json(await sheetsStatus()));
