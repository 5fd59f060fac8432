'use client';

import Link from 'next/link';
import { useEffect, useState } from 'react';
import { ko } from '@/app/_i18n/ko';
import { copyText, viewSearch, type View } from './view';

const t = ko.review.savedViews;
const KEY = 'influence-item.savedViews';
type Saved = { name: string; search: string };

function load(): Saved[] {
  try {
    const v = JSON.parse(localStorage.getItem(KEY) ?? '[]') as unknown;
    return Array.isArray(v) ? v.filter((x): x is Saved => typeof x?.name === 'string' && typeof x?.search === 'string').slice(0, 30) : [];
  } catch {
    return [];
  }
}

/**
 * Saved views: the view (tab, filters, sort) is the URL, so it can be bookmarked and shared (보기 주소 복사); this keeps
 * a short named list of them in this browser (localStorage), like Label Studio's or Argilla's saved filters.
 */
export function SavedViews({ view }: { view: View }) {
  const [views, setViews] = useState<Saved[]>([]);
  const [naming, setNaming] = useState(false);
  const [name, setName] = useState('');
  const [note, setNote] = useState<string | null>(null);
  // Read after mount: the server render knows no localStorage (no hydration mismatch).
  useEffect(() => setViews(load()), []);
  const search = viewSearch(view, {}, ['cursor']);

  const store = (next: Saved[]) => {
    setViews(next);
    localStorage.setItem(KEY, JSON.stringify(next));
  };
  function save(e: React.FormEvent) {
    e.preventDefault();
    const n = name.trim();
    if (!n) return;
    store([...views.filter((v) => v.name !== n), { name: n, search }]);
    setName('');
    setNaming(false);
  }

  return (
    <div className="rv-views">
      {views.length ? (
        <nav aria-label={t.label} className="rv-views-list">
          <span className="muted">{t.label}:</span>
          {views.map((v) => (
            <span key={v.name} className="rv-view-chip">
              <Link href={`/${v.search}`} aria-current={v.search === search ? 'page' : undefined}>
                {v.name}
              </Link>
              <button type="button" className="small" aria-label={t.remove(v.name)} onClick={() => store(views.filter((x) => x.name !== v.name))}>
                ×
              </button>
            </span>
          ))}
        </nav>
      ) : null}
      {naming ? (
        <form onSubmit={save} className="button-row">
          <input aria-label={t.name} placeholder={t.name} value={name} onChange={(e) => setName(e.target.value)} maxLength={60} autoFocus />
          <button type="submit" className="small primary" disabled={!name.trim()}>
            {t.add}
          </button>
          <button type="button" className="small" onClick={() => setNaming(false)}>
            {ko.review.cancel}
          </button>
        </form>
      ) : (
        <span className="button-row">
          <button type="button" className="small" onClick={() => setNaming(true)} title={t.hint}>
            {t.save}
          </button>
          <button
            type="button"
            className="small"
            onClick={async () => {
              const ok = await copyText(`${location.origin}/${search}`);
              setNote(ok ? t.copied : ko.review.copyFailed);
            }}
          >
            {t.copyLink}
          </button>
        </span>
      )}
      {note ? (
        <span className="muted" role="status">
          {note}
        </span>
      ) : null}
    </div>
  );
}
