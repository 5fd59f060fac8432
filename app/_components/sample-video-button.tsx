'use client';

import Link from 'next/link';
import { useEffect, useState } from 'react';
import { api, errorTextOf, tryApi } from '@/app/_lib/api';
import { ko } from '@/app/_i18n/ko';
import { VideoError } from '@/app/_components/video-error';

type VideoState = { id: string; stage: string; progress: number; error: { code: string; message: string; stage: string | null } | null };

/**
 * "샘플 영상으로 체험하기": one click analyzes the bundled sample vlog (no key, no model), then follows its progress
 * until the candidate is ready. Placed on the empty 후보 and 영상 pages.
 */
export function SampleVideoButton() {
  const t = ko.sample;
  const [video, setVideo] = useState<VideoState | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function start() {
    setBusy(true);
    setError(null);
    try {
      const body = await api<{ video: VideoState }>('/api/v1/videos/sample', { method: 'POST' });
      setVideo(body.video);
    } catch (e) {
      setError(errorTextOf(e));
    } finally {
      setBusy(false);
    }
  }

  const finished = video && ['done', 'failed', 'skipped'].includes(video.stage);
  useEffect(() => {
    if (!video || finished) return;
    const timer = setTimeout(async () => {
      const res = await tryApi<VideoState>(`/api/v1/videos/${video.id}`);
      if (res.ok) setVideo(res.body);
    }, 2000);
    return () => clearTimeout(timer);
  }, [video, finished]);

  return (
    <div className="panel stack" data-testid="sample-video">
      <p className="muted">{t.intro}</p>
      {!video && (
        <button type="button" className="primary" onClick={start} disabled={busy}>
          {busy ? t.starting : t.button}
        </button>
      )}
      {video && !finished && (
        <p role="status">
          {t.running} {ko.stages[video.stage] ?? video.stage} ({Math.round(video.progress * 100)}%)
        </p>
      )}
      {video?.stage === 'done' && (
        <p role="status">
          {t.done} <Link href="/?tab=needs_review">{t.viewCandidates}</Link> · <Link href="/?tab=low_score_filtered">{t.viewLowScore}</Link>
        </p>
      )}
      {video?.stage === 'failed' && (
        <div>
          <p className="error-text">{t.failed}</p>
          <VideoError code={video.error?.code} message={video.error?.message} stage={video.error?.stage} />
        </div>
      )}
      {error && <p className="error-text">{error}</p>}
    </div>
  );
}
