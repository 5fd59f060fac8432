'use client';

import Link from 'next/link';
import { useRef, useState } from 'react';
import { ko } from '@/app/_i18n/ko';
import { errorText } from '@/app/_lib/error-text';
import { RichText } from '@/app/_components/rich-text';
import type { IntakePlan } from '@/src/server/videos/intake-plan';

type Result =
  | { kind: 'ok'; id: string; created: boolean; durationSeconds: number | null }
  | { kind: 'error'; message: string; field?: string };

/**
 * Upload of a media file with optional captions, title and description (multipart to /api/v1/videos/upload). The
 * server's plan says how speech without captions is transcribed; with no way at all, a file without captions is
 * refused here, before it is sent.
 */
export function UploadForm({ maxUploadMb, speech }: { maxUploadMb: number; speech: IntakePlan['speech'] }) {
  const t = ko.upload;
  const formRef = useRef<HTMLFormElement>(null);
  const [busy, setBusy] = useState(false);
  const [percent, setPercent] = useState<number | null>(null);
  const [result, setResult] = useState<Result | null>(null);

  function submit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const file = form.get('file');
    if (!(file instanceof File) || file.size === 0) return;
    if (file.size > maxUploadMb * 1024 * 1024) {
      setResult({ kind: 'error', message: t.tooLarge(maxUploadMb), field: 'file' });
      return;
    }
    const captions = form.get('captions');
    if (captions instanceof File && captions.size === 0) form.delete('captions');
    if (speech === 'none' && !form.has('captions')) {
      setResult({ kind: 'error', message: t.captionsRequired, field: 'captions' });
      return;
    }
    setBusy(true);
    setResult(null);
    setPercent(0);
    // XMLHttpRequest rather than fetch: it reports upload progress for large files.
    const xhr = new XMLHttpRequest();
    xhr.open('POST', '/api/v1/videos/upload');
    xhr.responseType = 'json';
    xhr.upload.onprogress = (ev) => {
      if (ev.lengthComputable) setPercent(Math.round((ev.loaded / ev.total) * 100));
    };
    xhr.onload = () => {
      const body = xhr.response as { id?: string; video?: { durationSeconds: number | null }; error?: { code: string; message: string; field?: string } } | null;
      if (xhr.status === 200 || xhr.status === 202) {
        setResult({ kind: 'ok', id: body?.id ?? '', created: xhr.status === 202, durationSeconds: body?.video?.durationSeconds ?? null });
        formRef.current?.reset();
      } else {
        const facts = { status: xhr.status, code: body?.error?.code ?? 'internal', field: body?.error?.field };
        // the file the operator chose is named in the message; the server's own wording stays in its log
        const message = facts.code === 'bad_request' && facts.field === 'file' ? t.notVideo(file.name) : errorText(facts, 'videos.upload');
        setResult({ kind: 'error', message, field: facts.field });
      }
      setBusy(false);
      setPercent(null);
    };
    xhr.onerror = () => {
      setResult({ kind: 'error', message: ko.errors.network });
      setBusy(false);
      setPercent(null);
    };
    xhr.send(form);
  }

  return (
    <form ref={formRef} className="stack" onSubmit={submit} aria-label={t.heading} data-testid="upload-form">
      <label>
        {t.file}
        <input name="file" type="file" accept="video/*,audio/*,.mp4,.mov,.webm,.mkv,.m4v" required disabled={busy} />
      </label>
      <label>
        {t.captions}
        <input name="captions" type="file" accept=".vtt,.srt,text/vtt" disabled={busy} />
      </label>
      <p className={`notice intake-note${speech === 'none' ? ' warn' : ''}`} data-testid="speech-plan" data-plan={speech}>
        <RichText text={t.speechPlan[speech]} />
      </p>
      <label>
        {t.title}
        <input name="title" type="text" maxLength={500} disabled={busy} />
      </label>
      <label>
        {t.description}
        <textarea name="description" rows={3} maxLength={10000} disabled={busy} />
      </label>
      <button className="primary" type="submit" disabled={busy}>
        {busy ? `${t.uploading}${percent !== null ? ` ${percent}%` : ''}` : t.submit}
      </button>
      {percent !== null ? <progress max={100} value={percent} aria-label={t.uploading} /> : null}
      {result?.kind === 'error' ? (
        <p role="alert" className="notice error intake-note" data-field={result.field ?? ''}>
          <RichText text={result.message} />
        </p>
      ) : null}
      {result?.kind === 'ok' ? (
        <p role="status" className="notice">
          {result.created ? t.created : t.existing} (#{result.id}
          {result.durationSeconds ? ` · ${Math.round(result.durationSeconds)}s` : ''}) · <Link href={`/videos/${result.id}`}>{ko.analyze.viewVideo}</Link> ·{' '}
          <Link href="/videos">{t.viewVideos}</Link>
        </p>
      ) : null}
    </form>
  );
}
