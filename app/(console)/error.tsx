'use client';

import Link from 'next/link';
import { useEffect } from 'react';
import { ko } from '@/app/_i18n/ko';

/**
 * A page of the console failed to render: Korean, with a retry (reset re-renders the page) and the error's digest,
 * which the server log carries beside the real error (the message itself is never shown: it may hold internals).
 */
export default function ConsoleError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  useEffect(() => {
    console.error(error);
  }, [error]);
  const t = ko.errorPage;
  return (
    <div className="status-page" role="alert">
      <h1>{t.title}</h1>
      <p>{t.body}</p>
      {error.digest ? (
        <p className="muted">
          {t.digest}: <code>{error.digest}</code>
        </p>
      ) : null}
      <p className="button-row">
        <button type="button" className="primary" onClick={() => reset()}>
          {t.retry}
        </button>
        <Link className="button" href="/">
          {t.home}
        </Link>
      </p>
    </div>
  );
}
