'use client';

import { ko } from '@/app/_i18n/ko';
import './_components/link-page.css';

/** The public page could not load (the database is away): a viewer's message, nothing technical. */
export default function LinkPageError(props: { reset: () => void }) {
  return (
    <main className="lp lp-status" role="alert">
      <h1>{ko.linkPage.errorTitle}</h1>
      <p>{ko.linkPage.errorBody}</p>
      <button type="button" className="lp-buy" onClick={() => props.reset()}>
        {ko.linkPage.retry}
      </button>
    </main>
  );
}
