'use client';

import Link from 'next/link';
import { useState } from 'react';
import { ko } from '@/app/_i18n/ko';
import type { CelebrityDto, ChannelDto } from '@/src/server/channels/schemas';
import { callApi } from '@/app/_lib/api';
import { Time } from '@/app/_components/time';
import { ChannelName } from './channel-name';

export type ChannelItem = ChannelDto & { videos?: { total: number; skipped: number; failed: number; done: number } };

const when = (iso: string | null) => <Time value={iso} fallback={ko.sources.never} />;

/** A technical error text (feed or backfill), folded under a Korean line; it stays searchable in the page. */
function TechDetail({ text }: { text: string }) {
  return (
    <details className="tech">
      <summary>{ko.videoErrors.detail}</summary>
      <pre>{text}</pre>
    </details>
  );
}
const statusClass = (s: string) => (s === 'active' ? 'ok' : s === 'excluded' ? 'fail' : 'warn');

function BackfillStatus({ b }: { b: NonNullable<ChannelDto['backfill']> }) {
  const tone = b.state === 'done' ? 'ok' : b.state === 'failed' ? 'fail' : 'warn';
  return (
    <div data-backfill={b.state} style={{ marginTop: 6, fontSize: 12 }}>
      <span className={`badge ${tone}`}>{ko.sources.backfillState[b.state] ?? b.state}</span>{' '}
      <span className="muted">{ko.sources.backfillRange(b.fromDay, b.toDay)}</span>
      {b.state === 'done' && b.found !== null && b.stored !== null ? <div>{ko.sources.backfillResult(b.found, b.stored)}</div> : null}
      {b.state === 'waiting_quota' && b.resumesAt ? <div className="muted">{when(b.resumesAt)}</div> : null}
      {b.state === 'failed' && b.error ? (
        <div className="error-text">
          {ko.sources.backfillFailed}
          <TechDetail text={b.error} />
        </div>
      ) : null}
    </div>
  );
}

export function ChannelTable({ channels, celebrities, onChanged }: { channels: ChannelItem[]; celebrities: CelebrityDto[]; onChanged: () => Promise<void> }) {
  const [message, setMessage] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);
  const names = new Map(celebrities.map((c) => [c.id, c.name]));

  async function act(path: string, method: 'POST' | 'PATCH', body: unknown, okText?: string) {
    const res = await callApi<{ queued?: number }>(path, method, body);
    if (!res.ok) setMessage({ kind: 'error', text: res.message });
    else setMessage(okText ? { kind: 'ok', text: res.body.queued === 0 ? ko.sources.pollAlready : okText } : null);
    await onChanged();
  }

  if (!channels.length) return <div className="empty">{ko.channels.empty}</div>;
  return (
    <>
      {message ? (
        <p role={message.kind === 'error' ? 'alert' : 'status'} className={message.kind === 'error' ? 'notice error' : 'notice'}>
          {message.text}
        </p>
      ) : null}
      <table aria-label={ko.sources.list}>
        <thead>
          <tr>
            <th>{ko.sources.columns.channel}</th>
            <th>{ko.sources.columns.kind}</th>
            <th>{ko.sources.columns.celebrity}</th>
            <th>{ko.sources.columns.status}</th>
            <th>{ko.sources.columns.health}</th>
            <th>{ko.sources.columns.videos}</th>
            <th>{ko.sources.columns.actions}</th>
          </tr>
        </thead>
        <tbody>
          {channels.map((c) => (
            <tr key={c.id} data-channel-id={c.id}>
              <td>
                <ChannelName channel={c} />
              </td>
              <td>{ko.sources.kinds[c.kind] ?? c.kind}</td>
              <td>{c.celebrityId ? (names.get(c.celebrityId) ?? `#${c.celebrityId}`) : '—'}</td>
              <td>
                <span className={`badge ${statusClass(c.status)}`} data-status={c.status}>
                  {ko.sources.statuses[c.status] ?? c.status}
                </span>
              </td>
              <td data-health>
                <div>
                  {ko.sources.lastSuccess}: <span data-last-success>{when(c.feed.lastSuccessAt)}</span>
                  {c.feed.source ? <span className="muted"> · {ko.sources.feedSource[c.feed.source]}</span> : null}
                </div>
                <div>
                  {ko.sources.failures}:{' '}
                  <span data-failures className={c.feed.consecutiveFailures > 0 ? 'badge fail' : 'badge'}>
                    {c.feed.consecutiveFailures}
                  </span>
                </div>
                {c.feed.lastErrorAt ? (
                  <div className={c.feed.consecutiveFailures > 0 ? 'error-text' : 'muted'}>
                    {ko.sources.lastError}: {when(c.feed.lastErrorAt)} — {c.feed.consecutiveFailures > 0 ? ko.sources.feedFailing : ko.sources.feedRecovered}
                    {c.feed.lastError ? <TechDetail text={c.feed.lastError} /> : null}
                  </div>
                ) : null}
              </td>
              <td>
                {c.videos ? <div data-video-count={c.videos.total}>{ko.sources.videoCount(c.videos.total, c.videos.skipped)}</div> : null}
                <Link href={`/videos?channelId=${c.id}`}>{ko.sources.viewVideos}</Link>
                {c.backfill ? <BackfillStatus b={c.backfill} /> : null}
              </td>
              <td>
                <div style={{ display: 'flex', flexDirection: 'column', gap: 6 }}>
                  {c.status === 'active' ? (
                    <>
                      <button type="button" onClick={() => act('/api/v1/feeds/poll', 'POST', { channelId: c.id }, ko.sources.pollQueued)}>
                        {ko.sources.pollNow}
                      </button>
                      <button type="button" onClick={() => act(`/api/v1/channels/${c.id}`, 'PATCH', { status: 'excluded' })}>
                        {ko.sources.exclude}
                      </button>
                    </>
                  ) : (
                    <button type="button" onClick={() => act(`/api/v1/channels/${c.id}`, 'PATCH', { status: 'active' })}>
                      {ko.sources.reactivate}
                    </button>
                  )}
                </div>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
