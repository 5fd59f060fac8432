'use client';

import { useState } from 'react';
import { ko } from '@/app/_i18n/ko';
import type { CelebrityDto } from '@/src/server/channels/schemas';
import { callApi } from '@/app/_lib/api';
import { RichText } from '@/app/_components/rich-text';
import { ChannelName } from './channel-name';
import type { ChannelItem } from './channel-table';

function SignalList({ signals }: { signals: Record<string, unknown> | null }) {
  if (!signals) return null;
  const show = (v: unknown) => (Array.isArray(v) ? (v.length ? v.join(', ') : '—') : v === null || v === undefined ? '—' : String(v));
  return (
    <ul style={{ margin: 0, paddingLeft: 16, fontSize: 13 }}>
      {Object.entries(ko.sources.signalLabels).map(([key, label]) => (
        <li key={key}>
          {label}: {show(signals[key])}
        </li>
      ))}
    </ul>
  );
}

export function DiscoveryPanel({ enabled, candidates, celebrities, onChanged }: { enabled: boolean; candidates: ChannelItem[]; celebrities: CelebrityDto[]; onChanged: () => Promise<void> }) {
  const [query, setQuery] = useState('');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);
  const names = new Map(celebrities.map((c) => [c.id, c.name]));
  const sorted = [...candidates].sort((a, b) => (b.discovery?.score ?? 0) - (a.discovery?.score ?? 0));

  async function discover(e: React.FormEvent) {
    e.preventDefault();
    setBusy(true);
    const res = await callApi<{ items: unknown[]; searchBudget: { used: number; limit: number } }>('/api/v1/channels/discover', 'POST', {
      query,
      ...(from && to ? { from, to } : {}),
    });
    setBusy(false);
    setNotice(
      res.ok
        ? { kind: 'ok', text: `${ko.sources.discovered(res.body.items.length)} ${ko.sources.searchBudget(res.body.searchBudget.used, res.body.searchBudget.limit)}` }
        : { kind: 'error', text: res.message },
    );
    await onChanged();
  }

  async function decide(id: string, status: 'active' | 'excluded') {
    const res = await callApi(`/api/v1/channels/${id}`, 'PATCH', { status });
    if (!res.ok) setNotice({ kind: 'error', text: res.message });
    await onChanged();
  }

  return (
    <section className="panel" aria-labelledby="discover-title">
      <h2 id="discover-title" style={{ fontSize: 18, marginTop: 0 }}>
        {ko.sources.discover}
      </h2>
      <p className="muted">{enabled ? ko.sources.discoverHint : <RichText text={ko.sources.dataApiMissing} />}</p>
      <form className="stack" onSubmit={discover} aria-label={ko.sources.discover}>
        <label>
          {ko.sources.query}
          <input name="query" value={query} onChange={(e) => setQuery(e.target.value)} required />
        </label>
        <div style={{ display: 'flex', gap: 12 }}>
          <label>
            {ko.sources.from}
            <input type="date" name="discover-from" value={from} onChange={(e) => setFrom(e.target.value)} />
          </label>
          <label>
            {ko.sources.to}
            <input type="date" name="discover-to" value={to} onChange={(e) => setTo(e.target.value)} />
          </label>
        </div>
        <button className="primary" type="submit" disabled={busy || !query.trim()}>
          {ko.sources.discoverSubmit}
        </button>
        {notice ? (
          <p role={notice.kind === 'error' ? 'alert' : 'status'} className={notice.kind === 'error' ? 'notice error' : 'notice'}>
            {notice.text}
          </p>
        ) : null}
      </form>
      <h3 style={{ fontSize: 16 }}>{ko.sources.candidates}</h3>
      {!sorted.length ? (
        <div className="empty">{ko.sources.noCandidates}</div>
      ) : (
        <table aria-label={ko.sources.candidates}>
          <thead>
            <tr>
              <th>{ko.sources.columns.channel}</th>
              <th>{ko.sources.score}</th>
              <th>{ko.sources.signals}</th>
              <th>{ko.sources.columns.actions}</th>
            </tr>
          </thead>
          <tbody>
            {sorted.map((c) => (
              <tr key={c.id} data-candidate-id={c.id}>
                <td>
                  <ChannelName channel={c}>
                    {c.subscriberCount !== null ? ` · ${ko.sources.subscribers} ${c.subscriberCount.toLocaleString('ko-KR')}` : ''}
                    {c.celebrityId ? ` · ${names.get(c.celebrityId) ?? ''}` : ''}
                  </ChannelName>
                  <div className="muted" style={{ fontSize: 12, whiteSpace: 'pre-wrap' }}>
                    {c.description.slice(0, 200)}
                  </div>
                </td>
                <td>
                  <strong>{c.discovery?.score ?? '—'}</strong>
                </td>
                <td>
                  <SignalList signals={c.discovery?.signals ?? null} />
                </td>
                <td>
                  <div style={{ display: 'flex', flexDirection: 'column', gap: 6 }}>
                    <button type="button" onClick={() => decide(c.id, 'active')}>
                      {ko.sources.approve}
                    </button>
                    <button type="button" onClick={() => decide(c.id, 'excluded')}>
                      {ko.sources.exclude}
                    </button>
                  </div>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
