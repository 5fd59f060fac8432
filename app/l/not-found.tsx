import type { Metadata } from 'next';
import Link from 'next/link';
import { ko } from '@/app/_i18n/ko';
import './_components/link-page.css';

export const metadata: Metadata = { title: { absolute: ko.linkPage.notFoundTitle }, robots: { index: false } };

/** An unknown celebrity under /l: a viewer's 404 (Korean, back to the list), not the console's. */
export default function LinkPageNotFound() {
  return (
    <main className="lp lp-status">
      <h1>{ko.linkPage.notFoundTitle}</h1>
      <p>{ko.linkPage.notFoundBody}</p>
      <Link className="lp-buy" href="/l" prefetch={false}>
        {ko.linkPage.backToList}
      </Link>
    </main>
  );
}
