'use client';

import { useCallback, useEffect, useState } from 'react';
import { ko } from '@/app/_i18n/ko';
import type { ReelDto } from '@/src/server/reels/schemas';
import { api, ApiError } from './view';

const POLL_MS = 2000;

/**
 * The candidate's vertical Reel draft (issue 16): player, download and re-render. Approval queues the draft by itself
 * when the video's media is stored; this shows its progress, plainly why there is none (not approved, no media), and
 * offers a re-render when an edit (name, clip bounds) made the draft stale or a render failed.
 */
export function ReelDraft(props: { candidateId: string; version: number; status: string }) {
  const t = ko.reel;
  const [reel, setReel] = useState<ReelDto | null>(null);
  const [note, setNote] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const load = useCallback(async () => {
    try {
      setReel(await api<ReelDto>(`/api/v1/candidates/${props.candidateId}/reel`));
    } catch (e) {
      setNote(e instanceof ApiError ? e.text : String(e));
    }
  }, [props.candidateId]);

  // again after every change of the candidate (approval queues a draft; an edit can make it stale)
  useEffect(() => {
    void load();
  }, [load, props.version, props.status]);

  const pending = reel?.status === 'queued' || reel?.status === 'rendering';
  useEffect(() => {
    if (!pending) return;
    const timer = setInterval(() => void load(), POLL_MS);
    return () => clearInterval(timer);
  }, [pending, load]);

  async function render() {
    setBusy(true);
    setNote(null);
    try {
      setReel(await api<ReelDto>(`/api/v1/candidates/${props.candidateId}/reel`, { method: 'POST' }));
    } catch (e) {
      setNote(e instanceof ApiError ? e.text : String(e));
    } finally {
      setBusy(false);
    }
  }

  if (!reel) return <p className="muted">{note ?? t.loading}</p>;
  const blocked = reel.blocked;
  const ready = reel.status === 'ready' && reel.url;
  return (
    <div className="rv-reel">
      {ready ? (
        <video src={reel.url!} controls preload="metadata" playsInline aria-label={t.player} />
      ) : null}
      <p className={reel.status === 'failed' ? 'notice error' : 'muted'} aria-live="polite">
        {blocked ? (blocked.code === 'no_media' ? t.noMedia : t.notApproved) : null}
        {!blocked && reel.status === null ? t.none : null}
        {!blocked && reel.status === 'queued' ? t.queued : null}
        {!blocked && reel.status === 'rendering' ? t.rendering : null}
        {!blocked && reel.status === 'failed' ? t.failed : null}
        {ready ? t.ready(reel.width ?? 0, reel.height ?? 0, (reel.durationSec ?? 0).toFixed(1)) : null}
        {ready && !reel.current ? ` ${t.stale}` : null}
      </p>
      {/* the server's detail (which download failed and why, ffmpeg's last words) under the Korean line */}
      {blocked?.code === 'no_media' || reel.error ? <p className="muted">{blocked ? blocked.message : reel.error}</p> : null}
      <div className="rv-searches">
        {ready ? (
          <a href={reel.download_url!} download>
            {t.download}
          </a>
        ) : null}
        {!blocked && !pending && (!ready || !reel.current) ? (
          <button type="button" onClick={() => void render()} disabled={busy}>
            {reel.status === null ? t.render : t.rerender}
          </button>
        ) : null}
      </div>
      {note ? (
        <p className="notice error" role="alert">
          {note}
        </p>
      ) : null}
    </div>
  );
}
