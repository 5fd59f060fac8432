'use client';

import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useCallback, useEffect, useState } from 'react';
import { ko } from '@/app/_i18n/ko';
import type { CandidateDto, CandidateTab } from '@/src/server/candidates/schemas';
import type { FilterOptions } from '@/src/server/candidates/filter-options';
import { ShortcutsHelp } from './shortcuts-help';
import { api, ApiError, lastAction, typingIn, viewSearch, type View } from './view';
import './review.css';

const t = ko.review;
const TABS: CandidateTab[] = ['needs_review', 'filtered_no_coupang', 'high_ppl_risk', 'low_score_filtered', 'under_revision', 'approved', 'published', 'rejected'];
const COLUMNS: { key: string; sort?: string }[] = [
  { key: 'product' },
  { key: 'score', sort: 'score' },
  { key: 'celebrity', sort: 'celebrity' },
  { key: 'channel', sort: 'channel' },
  { key: 'video_title', sort: 'video_title' },
  { key: 'upload_date', sort: 'upload_date' },
  { key: 'category', sort: 'category' },
  { key: 'ppl', sort: 'ppl' },
  { key: 'created', sort: 'created' },
];

const day = (iso: string | null) => (iso ? new Date(iso).toLocaleDateString('ko-KR') : '—');

/** The 후보 queue: tabs with counts, sortable columns, filters, keyset pages, selection and bulk actions. */
export function CandidateQueue(props: {
  view: View;
  items: CandidateDto[];
  nextCursor: string | null;
  counts: Record<CandidateTab, number>;
  /** Tabs counted only up to CANDIDATE_COUNT_CAP (more match): shown as "1,000+". */
  countsCapped: CandidateTab[];
  options: FilterOptions;
  filtered: boolean;
}) {
  const { view, items, nextCursor, counts, countsCapped, options } = props;
  const router = useRouter();
  const tab = (view.tab ?? 'needs_review') as CandidateTab;
  const sort = view.sort ?? 'score';
  const order = view.order ?? 'desc';
  const [active, setActive] = useState(0);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);
  const [rejecting, setRejecting] = useState(false);
  const [reason, setReason] = useState('');
  const [help, setHelp] = useState(false);
  const [ready, setReady] = useState(false);
  useEffect(() => setReady(true), []);

  useEffect(() => {
    setSelected(new Set());
    setActive(0);
  }, [items]);

  const detailHref = (id: string) => `/candidates/${id}${viewSearch(view, {}, ['cursor'])}`;

  const toggle = useCallback((id: string) => {
    setSelected((s) => {
      const n = new Set(s);
      if (n.has(id)) n.delete(id);
      else n.add(id);
      return n;
    });
  }, []);

  async function bulk(to: 'approved' | 'rejected', note?: string) {
    setBusy(true);
    setMessage(null);
    try {
      const res = await api<{ results: { id: string; ok: boolean; error?: { message: string } }[] }>('/api/v1/candidates/bulk', {
        method: 'POST',
        body: { ids: [...selected], to, note },
      });
      const ok = res.results.filter((r) => r.ok).length;
      const failed = res.results.filter((r) => !r.ok);
      setMessage({ kind: failed.length ? 'error' : 'ok', text: `${t.bulkDone(ok, failed.length)}${failed[0]?.error ? ` — ${failed[0].error.message}` : ''}` });
      setRejecting(false);
      setReason('');
      router.refresh();
    } catch (e) {
      setMessage({ kind: 'error', text: `${t.failed}: ${(e as Error).message}` });
    } finally {
      setBusy(false);
    }
  }

  async function undo() {
    const id = lastAction.get();
    if (!id) return;
    try {
      await api(`/api/v1/candidates/${id}/undo`, { method: 'POST' });
      lastAction.clear();
      setMessage({ kind: 'ok', text: t.undone });
      router.refresh();
    } catch (e) {
      setMessage({ kind: 'error', text: `${t.failed}: ${e instanceof ApiError ? e.message : String(e)}` });
    }
  }

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (typingIn(e) || e.metaKey || e.ctrlKey || e.altKey) return;
      if (e.key === '?') setHelp((h) => !h);
      else if (e.key === 'Escape') setHelp(false);
      else if (e.key === 'j') setActive((i) => Math.min(items.length - 1, i + 1));
      else if (e.key === 'k') setActive((i) => Math.max(0, i - 1));
      else if (e.key === 'Enter' && items[active]) router.push(detailHref(items[active].id));
      else if (e.key === 'x' && items[active]) toggle(items[active].id);
      else if (e.key === 'u') void undo();
      else return;
      e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  });

  const sortHref = (key: string) =>
    `/${viewSearch(view, { sort: key, order: sort === key && order === 'desc' ? 'asc' : 'desc' }, ['cursor'])}`;

  return (
    <>
      <nav className="rv-tabs" aria-label={t.tabsLabel}>
        {TABS.map((k) => (
          <Link key={k} href={`/${viewSearch(view, { tab: k }, ['cursor'])}`} aria-current={k === tab ? 'page' : undefined} data-tab={k}>
            {t.tabs[k]}
            <span className="count" data-count={k} data-capped={countsCapped.includes(k) ? 'true' : undefined}>
              {countsCapped.includes(k) ? `${(counts[k] ?? 0).toLocaleString('ko-KR')}+` : (counts[k] ?? 0)}
            </span>
          </Link>
        ))}
      </nav>

      <form className="rv-filters" method="get" action="/" role="search" aria-label={t.filters.legend}>
        <input type="hidden" name="tab" value={tab} />
        <input type="hidden" name="sort" value={sort} />
        <input type="hidden" name="order" value={order} />
        <label>
          {t.filters.q}
          <input type="search" name="q" defaultValue={view.q ?? ''} />
        </label>
        <label>
          {t.filters.category}
          <input name="category" list="rv-categories" defaultValue={view.category ?? ''} />
          <datalist id="rv-categories">
            {options.categories.map((c) => (
              <option key={c} value={c} />
            ))}
          </datalist>
        </label>
        <label>
          {t.filters.celebrity}
          <select name="celebrityId" defaultValue={view.celebrityId ?? ''}>
            <option value="">{t.filters.any}</option>
            {options.celebrities.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t.filters.channel}
          <select name="channelId" defaultValue={view.channelId ?? ''}>
            <option value="">{t.filters.any}</option>
            {options.channels.map((c) => (
              <option key={c.id} value={c.id}>
                {c.title}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t.filters.scoreMin}
          <input type="number" name="scoreMin" min={0} max={100} defaultValue={view.scoreMin ?? ''} />
        </label>
        <label>
          {t.filters.scoreMax}
          <input type="number" name="scoreMax" min={0} max={100} defaultValue={view.scoreMax ?? ''} />
        </label>
        <label>
          {t.filters.ppl}
          <select name="ppl" defaultValue={view.ppl ?? ''}>
            <option value="">{t.filters.any}</option>
            <option value="yes">{t.filters.pplYes}</option>
            <option value="no">{t.filters.pplNo}</option>
          </select>
        </label>
        <label>
          {t.filters.method}
          <select name="method" defaultValue={view.method ?? ''}>
            <option value="">{t.filters.any}</option>
            <option value="rule">{t.filters.methodRule}</option>
            <option value="llm">{t.filters.methodLlm}</option>
          </select>
        </label>
        <button type="submit">{t.filters.apply}</button>
        <Link href={`/?tab=${tab}`} className="muted">
          {t.filters.reset}
        </Link>
      </form>

      <div className="rv-bar" aria-live="polite" data-ready={ready ? 'true' : undefined}>
        {selected.size ? (
          <>
            <span>{t.selected(selected.size)}</span>
            <button type="button" disabled={busy} onClick={() => bulk('approved')}>
              {t.bulkApprove}
            </button>
            {rejecting ? (
              <form
                onSubmit={(e) => {
                  e.preventDefault();
                  void bulk('rejected', reason);
                }}
                style={{ display: 'flex', gap: 6 }}
              >
                <input aria-label={t.rejectReason} value={reason} onChange={(e) => setReason(e.target.value)} required autoFocus />
                <button type="submit" disabled={busy || !reason.trim()}>
                  {t.rejectConfirm}
                </button>
              </form>
            ) : (
              <button type="button" disabled={busy} onClick={() => setRejecting(true)}>
                {t.bulkReject}
              </button>
            )}
          </>
        ) : null}
        {message ? (
          <span className={message.kind === 'error' ? 'error-text' : 'muted'} role={message.kind === 'error' ? 'alert' : 'status'}>
            {message.text}
          </span>
        ) : null}
        <span style={{ flex: 1 }} />
        <button type="button" onClick={() => undo()} title="u">
          {t.undo}
        </button>
        <button type="button" onClick={() => setHelp(true)} aria-keyshortcuts="?">
          {t.shortcuts} <kbd>?</kbd>
        </button>
      </div>

      {items.length === 0 ? (
        <div className="empty">{props.filtered ? t.emptyFiltered : t.emptyTab}</div>
      ) : (
        <div className="rv-table-wrap">
          <table className="rv-table" aria-label={t.tabs[tab]}>
            <thead>
              <tr>
                <th>
                  <input
                    type="checkbox"
                    aria-label={t.selectAll}
                    checked={selected.size > 0 && selected.size === items.length}
                    onChange={(e) => setSelected(e.target.checked ? new Set(items.map((c) => c.id)) : new Set())}
                  />
                </th>
                {COLUMNS.map((c) => (
                  <th key={c.key} aria-sort={c.sort === sort ? (order === 'asc' ? 'ascending' : 'descending') : undefined}>
                    {c.sort ? (
                      <Link href={sortHref(c.sort)} aria-label={`${t.columns[c.key]} ${sort === c.sort && order === 'desc' ? t.sortAsc : t.sortDesc}`}>
                        {t.columns[c.key]} {c.sort === sort ? (order === 'asc' ? '▲' : '▼') : ''}
                      </Link>
                    ) : (
                      t.columns[c.key]
                    )}
                  </th>
                ))}
                <th>{t.columns.status}</th>
              </tr>
            </thead>
            <tbody>
              {items.map((c, i) => (
                <tr key={c.id} data-candidate-id={c.id} className={i === active ? 'active' : undefined} aria-selected={i === active}>
                  <td>
                    <input type="checkbox" aria-label={`${t.selectRow}: ${c.candidate_info.product_name}`} checked={selected.has(c.id)} onChange={() => toggle(c.id)} />
                  </td>
                  <td className="product">
                    <Link href={detailHref(c.id)}>{c.candidate_info.product_name}</Link>{' '}
                    {c.isDemo ? <span className="badge demo">{ko.common.demo}</span> : null}
                    {c.candidate_info.analysis_method === 'llm' ? <span className="badge">LLM</span> : null}
                  </td>
                  <td>
                    <strong>{c.candidate_info.score_details.total}</strong>
                  </td>
                  <td>{c.source_info.celebrity_name}</td>
                  <td>{c.source_info.channel_name}</td>
                  <td className="title">{c.source_info.video_title}</td>
                  <td className="muted">{day(c.source_info.upload_date)}</td>
                  <td className="muted">{c.candidate_info.category_path ?? '—'}</td>
                  <td>{c.status_info.is_ppl ? <span className="badge warn">{Math.round(c.status_info.ppl_confidence * 100)}%</span> : `${Math.round(c.status_info.ppl_confidence * 100)}%`}</td>
                  <td className="muted">{day(c.status_info.created_at)}</td>
                  <td>
                    <span className="badge" data-status={c.status_info.current_status}>
                      {t.statuses[c.status_info.current_status]}
                    </span>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <div className="rv-pager">
        {view.cursor ? <Link href={`/${viewSearch(view, {}, ['cursor'])}`}>{t.firstPage}</Link> : null}
        {nextCursor ? <Link href={`/${viewSearch(view, { cursor: nextCursor })}`}>{t.nextPage}</Link> : null}
      </div>
      {help ? <ShortcutsHelp onClose={() => setHelp(false)} /> : null}
    </>
  );
}
