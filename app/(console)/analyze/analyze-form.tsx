'use client';

import Link from 'next/link';
import { useState } from 'react';
import { tryApi } from '@/app/_lib/api';
import { ko } from '@/app/_i18n/ko';

type Result = { kind: 'ok'; id: string; created: boolean; stage: string; skipReason?: string | null; skipRule?: string | null } | { kind: 'error'; message: string };

export function AnalyzeForm() {
  const [url, setUrl] = useState('');
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<Result | null>(null);

  async function submit(e: React.FormEvent) {
    e.preventDefault();
    setBusy(true);
    setResult(null);
    try {
      const res = await tryApi<{ id: string; video: { stage: string; skipReason?: string | null; skipRule?: string | null } }>('/api/v1/videos', { method: 'POST', body: { url } });
      if (!res.ok) setResult({ kind: 'error', message: res.message });
      else
        setResult({ kind: 'ok', id: res.body.id, created: res.status === 202, stage: res.body.video.stage, skipReason: res.body.video.skipReason, skipRule: res.body.video.skipRule });
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="stack" onSubmit={submit}>
      <label>
        {ko.analyze.url}
        <input
          name="url"
          type="text"
          inputMode="url"
          placeholder="https://www.youtube.com/watch?v=…"
          value={url}
          onChange={(e) => setUrl(e.target.value)}
          required
        />
      </label>
      <button className="primary" type="submit" disabled={busy || !url.trim()}>
        {ko.analyze.submit}
      </button>
      {result?.kind === 'error' ? (
        <p role="alert" className="notice error">
          {result.message}
        </p>
      ) : null}
      {result?.kind === 'ok' ? (
        <p role="status" className="notice">
          {result.stage === 'skipped'
            ? `${ko.analyze.skipped}: ${(result.skipRule && ko.videos.skipRules[result.skipRule]) || result.skipReason || ''}`
            : result.created
              ? ko.analyze.created
              : ko.analyze.existing}{' '}
          (#{result.id}) · <Link href={`/videos/${result.id}`}>{ko.analyze.viewVideo}</Link> · <Link href="/videos">{ko.analyze.viewVideos}</Link>
        </p>
      ) : null}
    </form>
  );
}
