'use client';

import Link from 'next/link';
import { useEffect, useState } from 'react';
import { api, errorTextOf, tryApi } from '@/app/_lib/api';
import { ko } from '@/app/_i18n/ko';
import { Time } from '@/app/_components/time';
import { VideoError } from '@/app/_components/video-error';
import type { VideoDto } from '@/src/server/videos/schemas';

export type VideoView = { channelId?: string; stage?: 'failed'; cursor?: string };
type Page = { items: VideoDto[]; nextCursor: string | null; counts: { all: number; failed: number } };

const t = ko.videos;
const stageClass = (s: string) => (s === 'done' ? 'ok' : s === 'failed' ? 'fail' : s === 'skipped' ? 'warn' : '');

/** The URL of a view of the list (the page is the URL: reloadable, shareable). */
export function videosHref(view: VideoView, overrides: Partial<VideoView> = {}): string {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries({ ...view, ...overrides })) if (v) p.set(k, v);
  const s = p.toString();
  return s ? `/videos?${s}` : '/videos';
}

/** 다시 시도 of a failed video; `onDone` is told once the retry is queued (the row may then leave a 실패만 list). */
export function RetryButton({ id, onDone }: { id: string; onDone: () => void }) {
  const [state, setState] = useState<{ busy?: boolean; ok?: boolean; error?: string }>({});
  return (
    <span className="button-row">
      <button
        type="button"
        className="small"
        disabled={state.busy || state.ok}
        onClick={async () => {
          setState({ busy: true });
          const res = await tryApi(`/api/v1/videos/${id}/retry`, { method: 'POST' });
          setState(res.ok ? { ok: true } : { error: res.message });
          if (res.ok) onDone();
        }}
      >
        {state.busy ? t.retrying : t.retry}
      </button>
      {state.ok ? (
        <span className="muted" role="status">
          {t.retried}
        </span>
      ) : null}
      {state.error ? (
        <span className="error-text" role="alert">
          {state.error}
        </span>
      ) : null}
    </span>
  );
}

/**
 * One page of videos (newest first), refreshed every few seconds so stages move while you watch; 전체 / 실패만,
 * 다음 페이지 / 처음으로; a failed video shows what to do and a retry; a video with candidates links to them.
 */
export function VideoTable({ view, initial, pageSize }: { view: VideoView; initial: Page; pageSize: number }) {
  const [page, setPage] = useState(initial);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [retried, setRetried] = useState<string | null>(null);
  useEffect(() => setPage(initial), [initial]);

  const query = new URLSearchParams({ limit: String(pageSize), counts: '1' });
  if (view.channelId) query.set('channelId', view.channelId);
  if (view.stage) query.set('stage', view.stage);
  if (view.cursor) query.set('cursor', view.cursor);
  const url = `/api/v1/videos?${query}`;

  const reload = async () => {
    try {
      const body = await api<Page>(url);
      setPage(body);
      setLoadError(null);
    } catch (e) {
      setLoadError(errorTextOf(e));
    }
  };

  useEffect(() => {
    const timer = setInterval(reload, 3000);
    return () => clearInterval(timer);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [url]);

  const videos = page.items;
  return (
    <>
      <div className="button-row" style={{ justifyContent: 'space-between', marginBottom: 8 }}>
        <nav className="segmented" aria-label={t.filtersLabel}>
          <Link href={videosHref({ channelId: view.channelId })} aria-current={!view.stage ? 'page' : undefined}>
            {t.filters.all} <span className="count">{page.counts.all.toLocaleString('ko-KR')}</span>
          </Link>
          <Link href={videosHref({ channelId: view.channelId, stage: 'failed' })} aria-current={view.stage === 'failed' ? 'page' : undefined}>
            {t.filters.failed} <span className="count">{page.counts.failed.toLocaleString('ko-KR')}</span>
          </Link>
        </nav>
        <p className="muted" aria-live="polite" style={{ margin: 0 }}>
          {t.live}
          {loadError ? <span className="error-text"> · {loadError}</span> : null}
        </p>
      </div>
      {retried ? (
        <p className="notice" role="status">
          {t.retriedVideo(retried)}
        </p>
      ) : null}
      {!videos.length ? (
        <div className="empty">{view.stage === 'failed' ? t.emptyFailed : t.empty}</div>
      ) : (
        <div className="table-scroll">
          <table aria-label={t.title} className="video-table">
            <thead>
              <tr>
                <th>{t.columns.title}</th>
                <th>{t.columns.source}</th>
                <th>{t.columns.stage}</th>
                <th>{t.columns.progress}</th>
                <th>{t.candidates}</th>
                <th>{t.columns.created}</th>
              </tr>
            </thead>
            <tbody>
              {videos.map((v) => (
                <tr key={v.id} data-video-id={v.id}>
                  <td className="title-cell">
                    <Link href={`/videos/${v.id}`}>{v.title || v.youtubeId || t.untitled}</Link>{' '}
                    {v.isDemo ? <span className="badge demo">{ko.common.demo}</span> : null}
                  </td>
                  <td>
                    {v.sourceUrl ? (
                      <a href={v.sourceUrl} target="_blank" rel="noreferrer noopener">
                        {v.youtubeId ?? v.sourceUrl}
                      </a>
                    ) : (
                      <span className="muted">{t.sourceKinds[v.sourceKind] ?? v.sourceKind}</span>
                    )}
                  </td>
                  <td className="stage-cell">
                    <span className={`badge ${stageClass(v.stage)}`} data-stage={v.stage}>
                      {ko.stages[v.stage] ?? v.stage}
                    </span>
                    {v.stage === 'skipped' && (v.skipRule || v.skipReason) ? (
                      <div className="muted">{(v.skipRule && t.skipRules[v.skipRule]) || v.skipReason}</div>
                    ) : null}
                    {v.error ? (
                      <>
                        <VideoError code={v.error.code} message={v.error.message} stage={v.error.stage} />
                        {v.stage === 'failed' ? (
                          <RetryButton
                            id={v.id}
                            onDone={() => {
                              setRetried(v.title || v.youtubeId || t.untitled);
                              void reload();
                            }}
                          />
                        ) : null}
                      </>
                    ) : null}
                  </td>
                  <td className="nowrap">
                    <progress value={v.progress} max={1} aria-label={t.columns.progress} data-progress={v.progress} />{' '}
                    <span className="muted">{Math.round(v.progress * 100)}%</span>
                  </td>
                  <td className="nowrap">
                    {v.candidates?.total ? (
                      <Link href={`/?videoId=${v.id}&tab=${v.candidates.tab ?? 'needs_review'}`}>{t.candidateLink(v.candidates.total)}</Link>
                    ) : (
                      <span className="muted">{t.noCandidates}</span>
                    )}
                  </td>
                  <td className="muted">
                    <Time value={v.createdAt} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {view.cursor || page.nextCursor ? (
        <nav className="pager" aria-label={t.title}>
          {view.cursor ? (
            <Link className="button" href={videosHref(view, { cursor: undefined })}>
              {t.firstPage}
            </Link>
          ) : null}
          {page.nextCursor ? (
            <Link className="button" href={videosHref(view, { cursor: page.nextCursor })}>
              {t.nextPage}
            </Link>
          ) : null}
        </nav>
      ) : null}
    </>
  );
}
