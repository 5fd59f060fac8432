import { ko } from '@/app/_i18n/ko';
import { NotFoundBody } from '@/app/_components/not-found-body';

/** notFound() inside the console (a video or candidate that does not exist): Korean, inside the console's frame. */
export default function ConsoleNotFound() {
  return (
    <div className="status-page" data-testid="not-found">
      <title>{`${ko.pageTitles.notFound} · ${ko.appName}`}</title>
      <NotFoundBody />
    </div>
  );
}
