import Link from 'next/link';
import { ko } from '@/app/_i18n/ko';

/** What an unknown address says, in Korean with the way back (the root 404 and the console's notFound()). */
export function NotFoundBody() {
  return (
    <>
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
    </>
  );
}
