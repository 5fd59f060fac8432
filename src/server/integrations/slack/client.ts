import { createHash } from 'node:crypto';
import { getConfig } from '@/src/server/config';
import { now } from '@/src/server/clock';
import { log } from '@/src/server/logger';
import { getState, setState } from '@/src/server/settings';
import { errorFromResponse, IntegrationError } from '../errors';
import { callExternal } from '../policy';

/**
 * Slack incoming webhook (SLACK_WEBHOOK_URL). Success is HTTP 200 "ok"; 429 is retried after Retry-After by the
 * policy layer; 404/410 mean the webhook is gone: sending stops (persisted, so every process stops) until the
 * operator configures another URL or re-enables it under 운영.
 */
export type SlackMessage = { text: string; blocks?: unknown[] };
export type SlackSendResult = { sent: true } | { sent: false; reason: 'not_configured' | 'disabled' | 'webhook_gone' };

export type SlackDisabledState = { webhookHash: string; status: number; body: string; at: string };

const webhookHash = (url: string) => createHash('sha256').update(url).digest('hex').slice(0, 16);

/** The persisted "webhook gone" state for the configured URL, if any (a new URL clears it). */
export async function slackDisabledState(): Promise<SlackDisabledState | undefined> {
  const url = getConfig().SLACK_WEBHOOK_URL;
  if (!url) return undefined;
  const s = await getState<SlackDisabledState>('slack.disabled');
  return s && s.webhookHash === webhookHash(url) ? s : undefined;
}

/** Operator re-enables sending (after fixing the webhook). */
export async function reenableSlack(): Promise<void> {
  await setState('slack.disabled', null);
}

export async function slackStatus(): Promise<{ configured: boolean; disabled: SlackDisabledState | null }> {
  const configured = !!getConfig().SLACK_WEBHOOK_URL;
  return { configured, disabled: configured ? ((await slackDisabledState()) ?? null) : null };
}

export async function postSlackMessage(message: SlackMessage, meta: { operation?: string; videoId?: string | number } = {}): Promise<SlackSendResult> {
  const url = getConfig().SLACK_WEBHOOK_URL;
  if (!url) {
    log.info({ operation: meta.operation }, 'slack not configured; message not sent');
    return { sent: false, reason: 'not_configured' };
  }
  if (await slackDisabledState()) return { sent: false, reason: 'disabled' };
  const operation = meta.operation ?? 'webhook';
  try {
    await callExternal({ provider: 'slack', operation, videoId: meta.videoId }, async (signal) => {
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(message),
        signal,
        redirect: 'error',
      });
      const body = (await res.text()).slice(0, 200);
      if (res.status === 404 || res.status === 410) {
        throw new IntegrationError(
          { provider: 'slack', operation, status: res.status, retryable: false, code: 'webhook_gone' },
          `slack webhook is gone (HTTP ${res.status} ${body})`,
        );
      }
      if (!res.ok) throw errorFromResponse('slack', operation, res, body);
      // Slack answers a delivered message with "ok" (workflow webhooks with {"ok":true}); any other 200 (a proxy's or
      // captive portal's page) means the message did not reach Slack.
      if (!isSlackOk(body)) {
        throw new IntegrationError(
          { provider: 'slack', operation, status: res.status, retryable: false, code: 'bad_response' },
          `slack ${operation}: the webhook answered HTTP ${res.status} without Slack's "ok" (an unexpected body: ${JSON.stringify(body.replace(/\s+/g, ' ').slice(0, 80))}); the message was not delivered, check SLACK_WEBHOOK_URL`,
        );
      }
    });
    return { sent: true };
  } catch (err) {
    if (err instanceof IntegrationError && err.code === 'webhook_gone') {
      const state: SlackDisabledState = {
        webhookHash: webhookHash(url),
        status: err.status ?? 0,
        body: err.message,
        at: now().toISOString(),
      };
      await setState('slack.disabled', state);
      log.error({ status: err.status }, 'slack webhook is gone: sending stopped until it is replaced or re-enabled under 운영');
      return { sent: false, reason: 'webhook_gone' };
    }
    throw err;
  }
}

function isSlackOk(body: string): boolean {
  const t = body.trim();
  if (t === 'ok') return true;
  try {
    return (JSON.parse(t) as { ok?: unknown }).ok === true;
  } catch {
    return false;
  }
}

/** Escapes text for Slack mrkdwn (only &, < and > are special). */
export function slackEscape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** A mrkdwn link; the label is escaped, the URL must be one we built. */
export function slackLink(url: string, label: string): string {
  return `<${url.replace(/[<>|]/g, '')}|${slackEscape(label).replace(/\|/g, '｜')}>`;
}
