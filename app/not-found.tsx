import type { Metadata } from 'next';
import { ko } from '@/app/_i18n/ko';
import { NotFoundBody } from '@/app/_components/not-found-body';

export const metadata: Metadata = { title: ko.pageTitles.notFound };

/** Any unknown address (outside the console too): Korean, with the way back. */
export default function NotFound() {
  return (
    <div className="status-page panel" role="main">
      <NotFoundBody />
    </div>
  );
}
