import Link from 'next/link';
import { ko } from '@/app/_i18n/ko';

/** notFound() inside the console (a video or candidate that does not exist): Korean, inside the console's frame. */
export default function ConsoleNotFound() {
  return (
    <div className="status-page" data-testid="not-found">
      <title>{`${ko.pageTitles.notFound} · ${ko.appName}`}</title>
      <h1>{ko.notFound.title}</h1>
      <p className="muted">{ko.notFound.body}</p>
      <p className="button-row">
        <Link className="button primary" href="/">
          {ko.notFound.home}
        </Link>
        <Link className="button" href="/videos">
          {ko.notFound.videos}
        </Link>
      </p>
    </div>
  );
}
