'use client';

import { useEffect, useState } from 'react';
import { api } from '@/app/_lib/api';
import { ko } from '@/app/_i18n/ko';
import type { VideoDto } from '@/src/server/videos/schemas';

const stageClass = (s: string) => (s === 'done' ? 'ok' : s === 'failed' ? 'fail' : s === 'skipped' ? 'warn' : '');

/** Lists videos and refreshes every few seconds so stages move while you watch. */
export function VideoTable({ initial, channelId }: { initial: VideoDto[]; channelId?: string }) {
  const [videos, setVideos] = useState(initial);
  const [loadError, setLoadError] = useState<string | null>(null);

  useEffect(() => {
    let alive = true;
    const tick = async () => {
      try {
        const body = await api<{ items: VideoDto[] }>(`/api/v1/videos?limit=100${channelId ? `&channelId=${channelId}` : ''}`);
        if (alive) {
          setVideos(body.items);
          setLoadError(null);
        }
      } catch (e) {
        if (alive) setLoadError((e as Error).message);
      }
    };
    const timer = setInterval(tick, 3000);
    return () => {
      alive = false;
      clearInterval(timer);
    };
  }, [channelId]);

  if (!videos.length) return <div className="empty">{ko.videos.empty}</div>;
  return (
    <>
      <p className="muted" aria-live="polite">
        {ko.videos.live}
        {loadError ? <span className="error-text"> · {ko.common.error}: {loadError}</span> : null}
      </p>
      <table aria-label={ko.videos.title}>
        <thead>
          <tr>
            <th>{ko.videos.columns.title}</th>
            <th>{ko.videos.columns.source}</th>
            <th>{ko.videos.columns.stage}</th>
            <th>{ko.videos.columns.progress}</th>
            <th>{ko.videos.columns.error}</th>
            <th>{ko.videos.columns.created}</th>
          </tr>
        </thead>
        <tbody>
          {videos.map((v) => (
            <tr key={v.id} data-video-id={v.id}>
              <td>
                {v.title || v.youtubeId || ko.videos.untitled} {v.isDemo ? <span className="badge demo">{ko.common.demo}</span> : null}
              </td>
              <td>
                {v.sourceUrl ? (
                  <a href={v.sourceUrl} target="_blank" rel="noreferrer noopener">
                    {v.youtubeId ?? v.sourceUrl}
                  </a>
                ) : (
                  v.sourceKind
                )}
              </td>
              <td>
                <span className={`badge ${stageClass(v.stage)}`} data-stage={v.stage}>
                  {ko.stages[v.stage] ?? v.stage}
                </span>
                {v.skipReason ? <div className="muted">{v.skipReason}</div> : null}
              </td>
              <td>
                <progress value={v.progress} max={1} aria-label={ko.videos.columns.progress} />
              </td>
              <td>{v.error ? <span className="error-text">{v.error.code}: {v.error.message}</span> : null}</td>
              <td className="muted">{new Date(v.createdAt).toLocaleString('ko-KR')}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
