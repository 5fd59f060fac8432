import { NextResponse } from 'next/server';
import { z } from 'zod';
import { actorOf } from '@/src/server/auth';
import { withApi } from '@/src/server/auth/with-api';
import { DomainError } from '@/src/server/errors';
import { settingKeys, type SettingKey } from '@/src/server/settings';
import { changeSetting } from '@/src/server/queue/schedules';

/** PATCH a setting with the fields to change; 400 names the bad field. Audited. */
export const PATCH = withApi({ body: z.record(z.string(), z.unknown()) }, async ({ principal, params, body }) => {
  if (!settingKeys.includes(params.key as SettingKey)) throw new DomainError('not_found', `unknown setting ${params.key}`);
  return NextResponse.json({ key: params.key, value: await changeSetting(params.key as SettingKey, body, actorOf(principal)) });
});
