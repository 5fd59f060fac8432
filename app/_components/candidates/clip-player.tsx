'use client';

import { forwardRef, useEffect, useImperativeHandle, useRef, useState } from 'react';
import { ko } from '@/app/_i18n/ko';
import type { CandidateDto } from '@/src/server/candidates/schemas';

export type ClipPlayerHandle = { play(): void };

/** The embed URL of a YouTube clip: starts at the clip and loops it (loop needs playlist=<same id>). */
export function youtubeClipUrl(youtubeId: string, start: number, end: number, autoplay = false): string {
  const s = Math.max(0, Math.floor(start));
  const e = Math.max(s + 1, Math.ceil(end));
  const id = encodeURIComponent(youtubeId);
  return `https://www.youtube-nocookie.com/embed/${id}?start=${s}&end=${e}&loop=1&playlist=${id}${autoplay ? '&autoplay=1&mute=1' : ''}`;
}

export const mediaUrl = (stored: string, download = false) =>
  `/api/media/${stored.split('/').map(encodeURIComponent).join('/')}${download ? '?download=1' : ''}`;

/**
 * YouTube videos play in the privacy-enhanced embed from clip_start_time, looping the window; uploaded and URL
 * videos play the local file through the media route (HTTP Range), seeking to the clip and looping back at its end.
 */
export const ClipPlayer = forwardRef<ClipPlayerHandle, { candidate: CandidateDto }>(function ClipPlayer({ candidate }, ref) {
  const { youtube_id, media_path, source_kind } = candidate.source_info;
  const start = candidate.candidate_info.clip_start_time;
  const end = candidate.candidate_info.clip_end_time;
  const video = useRef<HTMLVideoElement>(null);
  const [autoplay, setAutoplay] = useState(false);
  const [loops, setLoops] = useState(0);

  // The metadata may have loaded before hydration attached onLoadedMetadata: seek to the clip then.
  useEffect(() => {
    const v = video.current;
    if (v && v.readyState >= 1 && (v.currentTime < start || v.currentTime >= end)) v.currentTime = start;
  }, [start, end]);

  useImperativeHandle(ref, () => ({
    play() {
      const v = video.current;
      if (v) {
        if (v.paused) {
          if (v.currentTime < start || v.currentTime >= end) v.currentTime = start;
          void v.play().catch(() => {});
        } else v.pause();
      } else setAutoplay((a) => !a);
    },
  }));

  if (media_path && source_kind !== 'youtube') {
    return (
      <video
        ref={video}
        src={mediaUrl(media_path)}
        controls
        muted
        preload="metadata"
        aria-label={ko.review.playerLocal}
        data-clip-start={start}
        data-clip-end={end}
        data-loops={loops}
        onLoadedMetadata={(e) => {
          e.currentTarget.currentTime = start;
        }}
        onTimeUpdate={(e) => {
          const v = e.currentTarget;
          if (v.currentTime >= end) {
            v.currentTime = start;
            setLoops((n) => n + 1);
            if (v.paused) void v.play().catch(() => {});
          }
        }}
      />
    );
  }
  if (youtube_id) {
    return (
      <iframe
        key={autoplay ? 'play' : 'idle'}
        src={youtubeClipUrl(youtube_id, start, end, autoplay)}
        title={ko.review.playerYoutube}
        allow="autoplay; encrypted-media; picture-in-picture"
        referrerPolicy="strict-origin-when-cross-origin"
        allowFullScreen
      />
    );
  }
  return <div className="empty">{ko.review.noPlayer}</div>;
});
