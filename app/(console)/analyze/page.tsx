import type { Metadata } from 'next';
import { ko } from '@/app/_i18n/ko';
import { SheetsSyncButton } from '@/app/_components/sheets-sync-button';
import { getConfig } from '@/src/server/config';
import { currentIntakePlan } from '@/src/server/videos';
import { AnalyzeForm } from './analyze-form';
import { UploadForm } from './upload-form';

export const metadata: Metadata = { title: ko.pageTitles.analyze };

export default function AnalyzePage() {
  // what this server can do with a YouTube URL or a file without captions, shown before anything is sent
  const plan = currentIntakePlan();
  return (
    <>
      <h1>{ko.analyze.title}</h1>
      <p className="muted">{ko.analyze.intro}</p>
      <AnalyzeForm plan={plan} />
      <h2>{ko.upload.heading}</h2>
      <p className="muted">{ko.upload.intro}</p>
      <UploadForm maxUploadMb={getConfig().MAX_UPLOAD_MB} speech={plan.speech} />
      <h2>{ko.sheetsSync.heading}</h2>
      <SheetsSyncButton />
    </>
  );
}
