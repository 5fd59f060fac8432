'use client';

import Link from 'next/link';
import { useState } from 'react';
import { tryApi } from '@/app/_lib/api';
import { ko } from '@/app/_i18n/ko';
import { RichText } from '@/app/_components/rich-text';
import type { IntakePlan } from '@/src/server/videos/intake-plan';

type Result = { kind: 'ok'; id: string; created: boolean; stage: string; skipReason?: string | null; skipRule?: string | null } | { kind: 'error'; message: string };

/** What the server will do with a YouTube URL, as it decided from what is installed and configured. */
function YoutubePlan({ plan }: { plan: IntakePlan }) {
  const t = ko.analyze.youtubePlan;
  const text =
    plan.youtube === 'refused'
      ? t.refused
      : plan.youtube === 'gemini_url'
        ? t.geminiUrl
        : [t.download, plan.speech === 'none' ? t.downloadNoSpeech : null, plan.tools.gemini ? t.downloadThenGemini : null].filter(Boolean).join(' ');
  return (
    <div className={`notice intake-note${plan.youtube === 'refused' ? ' warn' : ''}`} data-testid="youtube-plan" data-plan={plan.youtube}>
      {plan.youtube === 'refused' ? null : <strong>{t.label}</strong>} <RichText text={text} />
    </div>
  );
}

export function AnalyzeForm({ plan }: { plan: IntakePlan }) {
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
      <YoutubePlan plan={plan} />
      <button className="primary" type="submit" disabled={busy || !url.trim()}>
        {ko.analyze.submit}
      </button>
      {result?.kind === 'error' ? (
        <p role="alert" className="notice error intake-note">
          <RichText text={result.message} />
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
