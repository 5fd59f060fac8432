'use client';

import { useEffect, useRef, useState } from 'react';
import { ko } from '@/app/_i18n/ko';

const t = ko.review;

/**
 * The confirmation of a bulk action: what will be done to how many candidates (the exact count of the selection,
 * the whole filtered result included), and the reason when rejecting or archiving.
 */
export function BulkConfirm(props: {
  action: string;
  count: number | null;
  total: number | null;
  truncated: boolean;
  needsReason: boolean;
  busy: boolean;
  onRun: (note?: string) => void;
  onCancel: () => void;
}) {
  const [note, setNote] = useState('');
  const first = useRef<HTMLInputElement>(null);
  const run = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (props.count !== null) (props.needsReason ? first.current : run.current)?.focus();
  }, [props.count, props.needsReason]);
  const n = (v: number) => v.toLocaleString('ko-KR');
  return (
    <div className="rv-help" role="dialog" aria-modal="true" aria-label={t.confirm.title} onClick={props.onCancel}>
      <form
        className="panel rv-confirm"
        onClick={(e) => e.stopPropagation()}
        onSubmit={(e) => {
          e.preventDefault();
          if (props.count && (!props.needsReason || note.trim())) props.onRun(props.needsReason ? note.trim() : undefined);
        }}
        onKeyDown={(e) => {
          if (e.key === 'Escape') props.onCancel();
        }}
      >
        <h2>{t.confirm.title}</h2>
        {props.count === null ? (
          <p className="muted">{t.confirm.counting}</p>
        ) : (
          <>
            <p>
              <strong>{t.confirm.body(props.action, n(props.count))}</strong>
            </p>
            {props.truncated && props.total !== null ? <p className="notice">{t.confirm.truncated(n(props.total), n(props.count))}</p> : null}
            {props.needsReason ? (
              <label>
                {t.confirm.reason}
                <input ref={first} value={note} onChange={(e) => setNote(e.target.value)} maxLength={1000} />
              </label>
            ) : null}
          </>
        )}
        <div className="button-row">
          <button ref={run} type="submit" className="primary" disabled={props.busy || !props.count || (props.needsReason && !note.trim())}>
            {t.confirm.run}
          </button>
          <button type="button" onClick={props.onCancel}>
            {t.cancel}
          </button>
        </div>
      </form>
    </div>
  );
}
