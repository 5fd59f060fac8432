import { ko } from '@/app/_i18n/ko';
import { listAllCelebrities, listChannels } from '@/src/server/channels';
import { youtubeDataConfigured } from '@/src/server/integrations/youtube-data/client';
import { ChannelsConsole } from './channels-console';

export const dynamic = 'force-dynamic';

export default async function ChannelsPage() {
  const [channels, celebrities] = await Promise.all([listChannels({ limit: 100 }), listAllCelebrities()]);
  return (
    <>
      <h1>{ko.channels.title}</h1>
      <p className="muted">{ko.sources.intro}</p>
      <ChannelsConsole initialChannels={channels.items} initialCelebrities={celebrities} dataApiConfigured={youtubeDataConfigured()} />
    </>
  );
}
