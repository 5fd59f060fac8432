import type { Metadata } from 'next';
import { ko } from '@/app/_i18n/ko';
import { requireOperator } from '@/src/server/auth/current';
import { listAllCelebrities, listChannels } from '@/src/server/channels';
import { youtubeDataConfigured } from '@/src/server/integrations/youtube-data/client';
import { ChannelsConsole } from './channels-console';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: ko.pageTitles.channels };

export default async function ChannelsPage() {
  // The layout's check runs beside this page, not before it: check here too, before any data is read (a forged
  // cookie got a redirect whose body carried this page's data).
  await requireOperator();
  const [channels, celebrities] = await Promise.all([listChannels({ limit: 100 }), listAllCelebrities()]);
  return (
    <>
      <h1>{ko.channels.title}</h1>
      <p className="muted">{ko.sources.intro}</p>
      <ChannelsConsole initialChannels={channels.items} initialCelebrities={celebrities} dataApiConfigured={youtubeDataConfigured()} />
    </>
  );
}
