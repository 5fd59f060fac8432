'use client';

import { useRouter } from 'next/navigation';
import { useEffect, useState } from 'react';
import { ko } from '@/app/_i18n/ko';
import { tryApi } from '@/app/_lib/api';

/** A button that POSTs to an /api/v1 path and refreshes the page; errors are shown as text. */
export function PostButton({ path, label, done }: { path: string; label: string; done?: string }) {
  const router = useRouter();
  const [state, setState] = useState<{ busy?: boolean; error?: string; ok?: boolean }>({});
  return (
    <span>
      <button
        type="button"
        disabled={state.busy}
        onClick={async () => {
          setState({ busy: true });
          try {
            const res = await tryApi(path, { method: 'POST' });
            if (!res.ok) return setState({ error: res.message });
            setState({ ok: true });
            router.refresh();
          } catch (e) {
            setState({ error: (e as Error).message });
          }
        }}
      >
        {label}
      </button>{' '}
      {state.ok && done ? <span className="muted">{done}</span> : null}
      {state.error ? <span className="error-text" role="alert">{state.error}</span> : null}
    </span>
  );
}

export const RetryJobButton = ({ queue, id }: { queue: string; id: string }) => (
  <PostButton path={`/api/v1/ops/jobs/${encodeURIComponent(queue)}/${encodeURIComponent(id)}/retry`} label={ko.operations.retry} done={ko.operations.retried} />
);

/** Refreshes the server-rendered page every `ms` while `active` (e.g. while a model downloads). */
export function RefreshWhile({ active, ms = 2000 }: { active: boolean; ms?: number }) {
  const router = useRouter();
  useEffect(() => {
    if (!active) return;
    const timer = setInterval(() => router.refresh(), ms);
    return () => clearInterval(timer);
  }, [active, ms, router]);
  return null;
}
