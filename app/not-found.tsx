import type { Metadata } from 'next';
import Link from 'next/link';
import { ko } from '@/app/_i18n/ko';

export const metadata: Metadata = { title: ko.pageTitles.notFound };

/** Any unknown address (outside the console too): Korean, with the way back. */
export default function NotFound() {
  return (
    <div className="status-page panel" role="main">
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
