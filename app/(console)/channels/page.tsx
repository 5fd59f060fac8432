import { ko } from '@/app/_i18n/ko';

export default function ChannelsPage() {
  return (
    <>
      <h1>{ko.channels.title}</h1>
      <div className="empty">{ko.channels.empty}</div>
    </>
  );
}
