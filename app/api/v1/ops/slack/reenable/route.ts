import { NextResponse } from 'next/server';
import { actorOf } from '@/src/server/auth';
import { withApi } from '@/src/server/auth/with-api';
import { getDb } from '@/src/server/db';
import { reenableSlack, slackStatus } from '@/src/server/integrations/slack/client';
import { markIntegrationFixed } from '@/src/server/ops/dashboard';
import { audit } from '@/src/server/settings';

/** After fixing the webhook: send to Slack again. */
export const POST = withApi({}, async ({ principal }) => {
  await reenableSlack();
  await markIntegrationFixed('slack');
  await audit(getDb(), actorOf(principal), 'slack.reenable', 'slack');
  return NextResponse.json(await slackStatus());
});
