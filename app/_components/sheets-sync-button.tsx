'use client';

import { useEffect, useState } from 'react';
import { tryApi } from '@/app/_lib/api';
import { ko } from '@/app/_i18n/ko';
import { Time } from '@/app/_components/time';

type Upsert = { sheet: string; appended: number; updated: number; unchanged: number };
type SyncResult = {
  import: { sheet: string; created: number; existing: number; skipped: { row: number; reason: string }[] };
  channels: Upsert;
  candidates: Upsert;
};
type Status = {
  configured: boolean;
  missing: string[];
  lastSync: { at: string; ok: boolean; actor: string; result?: SyncResult; error?: string } | null;
};

function UpsertLine({ label, u }: { label: string; u: Upsert }) {
  const t = ko.sheetsSync;
  return (
    <li>
      {label} ({u.sheet}): {t.appended} {u.appended} · {t.updated} {u.updated} · {t.unchanged} {u.unchanged}
    </li>
  );
}

/** "Sheets 동기화": shows whether Sheets is configured and the last sync, and runs a sync now. */
export function SheetsSyncButton() {
  const t = ko.sheetsSync;
  const [status, setStatus] = useState<Status | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function load() {
    const res = await tryApi<Status>('/api/v1/sheets/sync');
    if (res.ok) setStatus(res.body);
  }
  useEffect(() => {
    void load();
  }, []);

  async function sync() {
    setBusy(true);
    setError(null);
    try {
      const res = await tryApi('/api/v1/sheets/sync', { method: 'POST' });
      if (!res.ok) setError(res.message);
    } finally {
      setBusy(false);
      await load();
    }
  }

  const last = status?.lastSync;
  return (
    <div className="panel stack" data-testid="sheets-sync">
      <p className="muted">{t.intro}</p>
      {status && !status.configured ? (
        <p className="notice">
          {t.notConfigured}{' '}
          {status.missing.map((m, i) => (
            <span key={m}>
              {i ? ', ' : ''}
              <code>{m}</code>
            </span>
          ))}
        </p>
      ) : null}
      <button type="button" className="primary" onClick={sync} disabled={busy || !status?.configured}>
        {busy ? t.running : t.button}
      </button>
      {error ? (
        <p role="alert" className="notice error">
          {error}
        </p>
      ) : null}
      {status ? (
        last ? (
          <div>
            <p>
              {t.lastSync}: <Time value={last.at} /> ·{' '}
              <span className={`badge ${last.ok ? 'ok' : 'fail'}`}>{last.ok ? t.ok : t.failed}</span>
            </p>
            {last.error ? (
              <div className="error-text">
                {t.failedHint}
                <details className="tech">
                  <summary>{ko.videoErrors.detail}</summary>
                  <pre>{last.error}</pre>
                </details>
              </div>
            ) : null}
            {last.result ? (
              <ul>
                <li>
                  {t.imported} ({last.result.import.sheet}): {t.created} {last.result.import.created} · {t.existing}{' '}
                  {last.result.import.existing} · {t.skipped} {last.result.import.skipped.length}
                </li>
                {last.result.import.skipped.slice(0, 10).map((s) => (
                  <li key={s.row} className="muted">
                    {s.row}{t.row}: {s.reason}
                  </li>
                ))}
                <UpsertLine label={t.exportChannels} u={last.result.channels} />
                <UpsertLine label={t.exportCandidates} u={last.result.candidates} />
              </ul>
            ) : null}
          </div>
        ) : (
          <p className="muted">{t.never}</p>
        )
      ) : null}
    </div>
  );
}
