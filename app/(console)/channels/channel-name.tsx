import type { ReactNode } from 'react';
import type { ChannelDto } from '@/src/server/channels/schemas';

/** A channel's title linking to YouTube, with its handle (or UC… id) and any extra facts below it. */
export function ChannelName({ channel, children }: { channel: Pick<ChannelDto, 'url' | 'title' | 'youtubeChannelId' | 'handle'>; children?: ReactNode }) {
  return (
    <>
      <a href={channel.url} target="_blank" rel="noreferrer noopener">
        {channel.title || channel.youtubeChannelId}
      </a>
      <div className="muted" style={{ fontSize: 12 }}>
        {channel.handle ?? channel.youtubeChannelId}
        {children}
      </div>
    </>
  );
}
