import { NextResponse } from 'next/server';
import { withApi } from '@/src/server/auth/with-api';
import { DomainError } from '@/src/server/errors';
import { requestPoll } from '@/src/server/feeds';
import { assertSafeText } from '@/src/server/safe-text';
import { pollFeedsInput } from '@/src/server/channels/schemas';

/** "Poll now": `{}` polls every active channel, `{channelId}` one channel. */
export const POST = withApi({}, async ({ req }) => {
  const text = await req.text().catch(() => {
    // the body stream fails when the client goes away mid-body (Node's "aborted"): the client's doing, not a 500
    throw new DomainError('bad_request', 'The request body ended early (the client went away?).');
  });
  let raw: unknown = {};
  if (text.trim()) {
    try {
      raw = JSON.parse(text);
    } catch {
      throw new DomainError('bad_request', 'The request body must be JSON (or empty).');
    }
  }
  assertSafeText(raw); // withApi checks the bodies it reads; this route reads its own (it may be empty)
  const body = pollFeedsInput.parse(raw);
  return NextResponse.json(await requestPoll(body.channelId), { status: 202 });
});
