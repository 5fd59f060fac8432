'use client';

import { useCallback, useEffect, useState } from 'react';
import { ko } from '@/app/_i18n/ko';
import type { CelebrityDto, ChannelDto } from '@/src/server/channels/schemas';
import { callApi } from '@/app/_lib/api';
import { RichText } from '@/app/_components/rich-text';
import { ChannelTable, type ChannelItem } from './channel-table';
import { DiscoveryPanel } from './discovery-panel';

type Notice = { kind: 'ok' | 'error'; text: string } | null;

function NoticeLine({ notice }: { notice: Notice }) {
  if (!notice) return null;
  return notice.kind === 'error' ? (
    <p role="alert" className="notice error">
      {notice.text}
    </p>
  ) : (
    <p role="status" className="notice">
      {notice.text}
    </p>
  );
}

export function ChannelsConsole(props: { initialChannels: ChannelItem[]; initialCelebrities: CelebrityDto[]; dataApiConfigured: boolean }) {
  const [channels, setChannels] = useState(props.initialChannels);
  const [celebrities, setCelebrities] = useState(props.initialCelebrities);
  const [loadError, setLoadError] = useState<string | null>(null);

  const refresh = useCallback(async () => {
    const [ch, ce] = await Promise.all([
      callApi<{ items: ChannelItem[] }>('/api/v1/channels?limit=100'),
      callApi<{ items: CelebrityDto[] }>('/api/v1/celebrities?limit=100'),
    ]);
    if (ch.ok) setChannels(ch.body.items);
    if (ce.ok) setCelebrities(ce.body.items);
    setLoadError(!ch.ok ? ch.message : !ce.ok ? ce.message : null);
  }, []);

  useEffect(() => {
    const timer = setInterval(refresh, 3000);
    return () => clearInterval(timer);
  }, [refresh]);

  return (
    <div className="stack" style={{ display: 'flex', flexDirection: 'column', gap: 20 }}>
      <div style={{ display: 'grid', gridTemplateColumns: 'repeat(auto-fit, minmax(320px, 1fr))', gap: 16 }}>
        <CelebrityForm onDone={refresh} celebrities={celebrities} />
        <ChannelForm onDone={refresh} celebrities={celebrities} />
      </div>
      <section className="panel" aria-labelledby="channel-list-title">
        <div style={{ display: 'flex', justifyContent: 'space-between', alignItems: 'center', gap: 12 }}>
          <h2 id="channel-list-title" style={{ fontSize: 18, margin: 0 }}>
            {ko.sources.list}
          </h2>
          <PollAllButton onDone={refresh} />
        </div>
        {loadError ? <p className="error-text">{ko.sources.loadError}: {loadError}</p> : null}
        <ChannelTable channels={channels.filter((c) => c.status !== 'candidate')} celebrities={celebrities} onChanged={refresh} />
      </section>
      <BackfillForm channels={channels.filter((c) => c.status !== 'candidate')} enabled={props.dataApiConfigured} />
      <DiscoveryPanel
        enabled={props.dataApiConfigured}
        candidates={channels.filter((c) => c.status === 'candidate')}
        celebrities={celebrities}
        onChanged={refresh}
      />
    </div>
  );
}

function CelebrityForm({ onDone, celebrities }: { onDone: () => Promise<void>; celebrities: CelebrityDto[] }) {
  const [name, setName] = useState('');
  const [aliases, setAliases] = useState('');
  const [notice, setNotice] = useState<Notice>(null);
  const [busy, setBusy] = useState(false);
  async function submit(e: React.FormEvent) {
    e.preventDefault();
    setBusy(true);
    const res = await callApi<CelebrityDto>('/api/v1/celebrities', 'POST', {
      name,
      aliases: aliases.split(',').map((a) => a.trim()).filter(Boolean),
    });
    setBusy(false);
    if (!res.ok) return setNotice({ kind: 'error', text: res.message });
    setNotice({ kind: 'ok', text: `${ko.sources.celebrityAdded} (${res.body.name})` });
    setName('');
    setAliases('');
    await onDone();
  }
  return (
    <section className="panel" aria-labelledby="celebrity-form-title">
      <h2 id="celebrity-form-title" style={{ fontSize: 18, marginTop: 0 }}>
        {ko.sources.addCelebrity}
      </h2>
      <form className="stack" onSubmit={submit} aria-label={ko.sources.addCelebrity}>
        <label>
          {ko.sources.celebrityName}
          <input name="celebrity-name" value={name} onChange={(e) => setName(e.target.value)} required />
        </label>
        <label>
          {ko.sources.aliases}
          <input name="aliases" value={aliases} placeholder={ko.sources.aliasesHint} onChange={(e) => setAliases(e.target.value)} />
        </label>
        <button className="primary" type="submit" disabled={busy || !name.trim()}>
          {ko.sources.addCelebrity}
        </button>
        <NoticeLine notice={notice} />
      </form>
      <p className="muted" style={{ fontSize: 13 }}>
        {celebrities.length
          ? celebrities.map((c) => (c.aliases.length ? `${c.name} (${c.aliases.join(', ')})` : c.name)).join(' · ')
          : ko.sources.noCelebrities}
      </p>
    </section>
  );
}

function ChannelForm({ onDone, celebrities }: { onDone: () => Promise<void>; celebrities: CelebrityDto[] }) {
  const [input, setInput] = useState('');
  const [kind, setKind] = useState<'celebrity' | 'media'>('celebrity');
  const [celebrityId, setCelebrityId] = useState('');
  const [notice, setNotice] = useState<Notice>(null);
  const [busy, setBusy] = useState(false);
  async function submit(e: React.FormEvent) {
    e.preventDefault();
    setBusy(true);
    setNotice(null);
    const res = await callApi<ChannelDto>('/api/v1/channels', 'POST', { input, kind, celebrityId: kind === 'celebrity' && celebrityId ? celebrityId : null });
    setBusy(false);
    if (!res.ok) return setNotice({ kind: 'error', text: res.message });
    setNotice({ kind: 'ok', text: `${ko.sources.channelAdded} (${res.body.title || res.body.youtubeChannelId})` });
    setInput('');
    await onDone();
  }
  return (
    <section className="panel" aria-labelledby="channel-form-title">
      <h2 id="channel-form-title" style={{ fontSize: 18, marginTop: 0 }}>
        {ko.sources.addChannel}
      </h2>
      <form className="stack" onSubmit={submit} aria-label={ko.sources.addChannel}>
        <label>
          {ko.sources.channelInput}
          <input name="channel-input" value={input} placeholder="https://www.youtube.com/@handle" onChange={(e) => setInput(e.target.value)} required />
        </label>
        <label>
          {ko.sources.kind}
          <select name="kind" value={kind} onChange={(e) => setKind(e.target.value as 'celebrity' | 'media')}>
            <option value="celebrity">{ko.sources.kinds.celebrity}</option>
            <option value="media">{ko.sources.kinds.media}</option>
          </select>
        </label>
        {kind === 'celebrity' ? (
          <label>
            {ko.sources.celebrity}
            <select name="celebrity" value={celebrityId} onChange={(e) => setCelebrityId(e.target.value)}>
              <option value="">{ko.sources.chooseCelebrity}</option>
              {celebrities.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.name}
                </option>
              ))}
            </select>
          </label>
        ) : null}
        <button className="primary" type="submit" disabled={busy || !input.trim()}>
          {ko.sources.addChannel}
        </button>
        <NoticeLine notice={notice} />
      </form>
    </section>
  );
}

function PollAllButton({ onDone }: { onDone: () => Promise<void> }) {
  const [notice, setNotice] = useState<Notice>(null);
  async function poll() {
    const res = await callApi<{ queued: number }>('/api/v1/feeds/poll', 'POST', {});
    setNotice(res.ok ? { kind: 'ok', text: res.body.queued ? ko.sources.pollQueued : ko.sources.pollAlready } : { kind: 'error', text: res.message });
    await onDone();
  }
  return (
    <div style={{ display: 'flex', gap: 8, alignItems: 'center' }}>
      <NoticeLine notice={notice} />
      <button className="primary" type="button" onClick={poll}>
        {ko.sources.pollAll}
      </button>
    </div>
  );
}

function BackfillForm({ channels, enabled }: { channels: ChannelItem[]; enabled: boolean }) {
  const [channelId, setChannelId] = useState('');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [notice, setNotice] = useState<Notice>(null);
  async function submit(e: React.FormEvent) {
    e.preventDefault();
    const res = await callApi(`/api/v1/channels/${channelId}/backfill`, 'POST', { from, to });
    setNotice(res.ok ? { kind: 'ok', text: ko.sources.backfillQueued } : { kind: 'error', text: res.message });
  }
  return (
    <section className="panel" aria-labelledby="backfill-title">
      <h2 id="backfill-title" style={{ fontSize: 18, marginTop: 0 }}>
        {ko.sources.backfill}
      </h2>
      {!enabled ? (
        <p className="muted">
          <RichText text={ko.sources.dataApiMissing} />
        </p>
      ) : null}
      <form className="stack" onSubmit={submit} aria-label={ko.sources.backfill}>
        <label>
          {ko.sources.backfillChannel}
          <select name="backfill-channel" value={channelId} onChange={(e) => setChannelId(e.target.value)} required>
            <option value="">{ko.sources.chooseCelebrity}</option>
            {channels.map((c) => (
              <option key={c.id} value={c.id}>
                {c.title || c.youtubeChannelId}
              </option>
            ))}
          </select>
        </label>
        <label>
          {ko.sources.from}
          <input type="date" name="from" value={from} onChange={(e) => setFrom(e.target.value)} required />
        </label>
        <label>
          {ko.sources.to}
          <input type="date" name="to" value={to} onChange={(e) => setTo(e.target.value)} required />
        </label>
        <button className="primary" type="submit" disabled={!channelId || !from || !to}>
          {ko.sources.backfillSubmit}
        </button>
        <NoticeLine notice={notice} />
      </form>
    </section>
  );
}
