import { ko } from '@/app/_i18n/ko';

/** Shown inside the console's frame while a page's data loads (Next.js streams it at once). */
export default function Loading() {
  return (
    <div className="loading" role="status" aria-live="polite">
      <span className="spinner" aria-hidden="true" /> {ko.common.loading}
    </div>
  );
}
