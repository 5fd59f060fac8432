'use client';

import { useRouter } from 'next/navigation';
import { RetryButton } from '@/app/(console)/videos/video-table';

/** The retry of a failed video on its own page: the page refreshes to show the video moving again. */
export function VideoRetry({ id }: { id: string }) {
  const router = useRouter();
  return <RetryButton id={id} onDone={() => router.refresh()} />;
}
