'use client';

import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useCallback, useEffect, useState } from 'react';
import { ko } from '@/app/_i18n/ko';
import { Time } from '@/app/_components/time';
import type { CandidateDto, CandidateSelection, CandidateTab } from '@/src/server/candidates/schemas';
import type { FilterOptions } from '@/src/server/candidates/filter-options';
import type { BulkTarget } from '@/src/server/candidates/transitions';
import { BulkConfirm } from './bulk-confirm';
import { mediaUrl } from './clip-player';
import { SavedViews } from './saved-views';
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

type BulkResults = { results: { id: string; ok: boolean; error?: { code: string; message: string } }[] };
type Confirming = { to: BulkTarget; ids: string[] | null; total: number | null; truncated: boolean };

/**
 * The 후보 queue: tabs with counts, review progress, sortable columns with product thumbnails, filters, saved views,
 * CSV export, keyset pages, selection (the page or the whole filtered result) and the tab's bulk actions, each
 * confirmed with the count.
 */
export function CandidateQueue(props: {
  view: View;
  items: CandidateDto[];
  nextCursor: string | null;
  counts: Record<CandidateTab, number>;
  /** Tabs counted only up to CANDIDATE_COUNT_CAP (more match): shown as "1,000+". */
  countsCapped: CandidateTab[];
  options: FilterOptions;
  filtered: boolean;
  /** Reviewed (decided) candidates of the filter out of all of them. */
  progress: { reviewed: number; total: number; capped: boolean };
  /** The bulk actions that apply to this tab's candidates. */
  bulkActions: BulkTarget[];
}) {
  const { view, items, nextCursor, counts, countsCapped, options, progress, bulkActions } = props;
  const router = useRouter();
  const tab = (view.tab ?? 'needs_review') as CandidateTab;
  const sort = view.sort ?? 'score';
  const order = view.order ?? 'desc';
  const [active, setActive] = useState(0);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);
  /** The whole filtered result is selected (every page), not only the checked rows. */
  const [allFiltered, setAllFiltered] = useState(false);
  const [confirming, setConfirming] = useState<Confirming | null>(null);
  const [help, setHelp] = useState(false);
  const [ready, setReady] = useState(false);
  useEffect(() => setReady(true), []);

  useEffect(() => {
    setSelected(new Set());
    setAllFiltered(false);
    setActive(0);
  }, [items]);

  const tabCount = counts[tab] ?? 0;
  const tabCapped = countsCapped.includes(tab);
  const countLabel = `${tabCount.toLocaleString('ko-KR')}${tabCapped ? '+' : ''}`;
  const pageAllSelected = items.length > 0 && selected.size === items.length;
  const morePages = !!nextCursor || !!view.cursor || tabCount > items.length;

  const detailHref = (id: string) => `/candidates/${id}${viewSearch(view, {}, ['cursor'])}`;

  const toggle = useCallback((id: string) => {
    setSelected((s) => {
      const n = new Set(s);
      if (n.has(id)) n.delete(id);
      else n.add(id);
      return n;
    });
  }, []);

  /** Opens the confirmation; for the whole filtered result the exact ids come from the server first. */
  async function askBulk(to: BulkTarget) {
    setMessage(null);
    if (!allFiltered) {
      setConfirming({ to, ids: [...selected], total: selected.size, truncated: false });
      return;
    }
    setConfirming({ to, ids: null, total: null, truncated: false });
    try {
      const sel = await api<CandidateSelection>(`/api/v1/candidates/selection${viewSearch(view, {}, ['cursor'])}`);
      setConfirming((c) => (c && c.to === to ? { to, ids: sel.ids, total: sel.total, truncated: sel.truncated } : c));
    } catch (e) {
      setConfirming(null);
      setMessage({ kind: 'error', text: e instanceof ApiError ? e.text : t.failed });
    }
  }

  async function bulk(to: BulkTarget, ids: string[], note?: string) {
    setBusy(true);
    setMessage(null);
    try {
      const res = await api<BulkResults>('/api/v1/candidates/bulk', { method: 'POST', body: { ids, to, note } });
      const ok = res.results.filter((r) => r.ok).length;
      const failed = res.results.filter((r) => !r.ok);
      const why = failed[0]?.error ? (ko.errors.codes[failed[0].error.code] ?? t.failed) : '';
      setMessage({ kind: failed.length ? 'error' : 'ok', text: `${t.bulkDone(ok, failed.length)}${why ? ` — ${why}` : ''}` });
      if (ok) lastAction.set(res.results.find((r) => r.ok)!.id);
      setConfirming(null);
      setSelected(new Set());
      setAllFiltered(false);
      router.refresh();
    } catch (e) {
      setMessage({ kind: 'error', text: e instanceof ApiError ? e.text : `${t.failed}: ${(e as Error).message}` });
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
      setMessage({ kind: 'error', text: e instanceof ApiError ? e.text : `${t.failed}: ${String(e)}` });
    }
  }

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (typingIn(e) || e.metaKey || e.ctrlKey || e.altKey || confirming) return;
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

      <div className="rv-progress" data-testid="review-progress" title={t.progressHint}>
        <span>{t.progress(progress.reviewed.toLocaleString('ko-KR'), `${progress.total.toLocaleString('ko-KR')}${progress.capped ? '+' : ''}`)}</span>
        <div
          className="rv-progress-bar"
          role="progressbar"
          aria-label={t.progressLabel}
          aria-valuemin={0}
          aria-valuemax={progress.total}
          aria-valuenow={progress.reviewed}
        >
          <div style={{ width: `${progress.total ? Math.round((progress.reviewed / progress.total) * 100) : 0}%` }} />
        </div>
      </div>

      {/* Keyed by the view: a saved view or a tab opened in place shows its own filter values. */}
      <form key={viewSearch(view, {}, ['cursor'])} className="rv-filters" method="get" action="/" role="search" aria-label={t.filters.legend}>
        <input type="hidden" name="tab" value={tab} />
        <input type="hidden" name="sort" value={sort} />
        <input type="hidden" name="order" value={order} />
        {view.videoId ? <input type="hidden" name="videoId" value={view.videoId} /> : null}
        {view.demo ? <input type="hidden" name="demo" value={view.demo} /> : null}
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

      <div className="rv-viewbar">
        <SavedViews view={view} />
        <a className="button small" href={`/api/v1/candidates/export.csv${viewSearch(view, {}, ['cursor'])}`} download title={t.csvHint}>
          {t.csv}
        </a>
      </div>

      <div className="rv-bar" aria-live="polite" data-ready={ready ? 'true' : undefined}>
        {selected.size ? (
          <>
            <span>{allFiltered ? t.selected(countLabel) : t.selected(selected.size)}</span>
            {bulkActions.length ? (
              bulkActions.map((to) => (
                <button key={to} type="button" className="small" disabled={busy} onClick={() => askBulk(to)}>
                  {t.bulkActions[to]}
                </button>
              ))
            ) : (
              <span className="muted">{t.bulkNone}</span>
            )}
            <button
              type="button"
              className="small"
              onClick={() => {
                setSelected(new Set());
                setAllFiltered(false);
              }}
            >
              {t.clearSelection}
            </button>
          </>
        ) : null}
        {message ? (
          <span className={message.kind === 'error' ? 'error-text' : 'muted'} role={message.kind === 'error' ? 'alert' : 'status'}>
            {message.text}
          </span>
        ) : null}
        <span style={{ flex: 1 }} />
        <button type="button" className="small" onClick={() => undo()} aria-keyshortcuts="u">
          {t.undo} <kbd>u</kbd>
        </button>
        <button type="button" className="small" onClick={() => setHelp(true)} aria-keyshortcuts="?">
          {t.shortcuts} <kbd>?</kbd>
        </button>
      </div>
      {pageAllSelected && morePages ? (
        <div className="notice rv-select-all">
          {allFiltered ? (
            <span>{t.allFilteredSelected}</span>
          ) : (
            <>
              <span>{t.pageSelected(items.length)}</span>{' '}
              <button type="button" className="small" onClick={() => setAllFiltered(true)}>
                {t.selectAllFiltered(countLabel)}
              </button>
            </>
          )}
        </div>
      ) : null}

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
                    checked={pageAllSelected}
                    onChange={(e) => {
                      setSelected(e.target.checked ? new Set(items.map((c) => c.id)) : new Set());
                      setAllFiltered(false);
                    }}
                  />
                </th>
                <th className="thumb">
                  <span className="sr-only">{t.thumbnail}</span>
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
                    <input
                      type="checkbox"
                      aria-label={`${t.selectRow}: ${c.candidate_info.product_name}`}
                      checked={selected.has(c.id)}
                      onChange={() => {
                        toggle(c.id);
                        setAllFiltered(false);
                      }}
                    />
                  </td>
                  <td className="thumb">
                    {c.evidence.crop_path ? (
                      <img src={mediaUrl(c.evidence.crop_path)} alt="" loading="lazy" width={48} height={48} />
                    ) : (
                      <span className="rv-thumb-empty" aria-hidden="true" />
                    )}
                  </td>
                  <td className="product">
                    <Link href={detailHref(c.id)}>{c.candidate_info.product_name}</Link>{' '}
                    {c.isDemo ? <span className="badge demo">{ko.common.demo}</span> : null}
                    {c.candidate_info.analysis_method === 'llm' ? <span className="badge">LLM</span> : null}
                  </td>
                  <td className="score">
                    <strong>{c.candidate_info.score_details.total}</strong>
                  </td>
                  <td>{c.source_info.celebrity_name}</td>
                  <td>{c.source_info.channel_name}</td>
                  <td className="title">{c.source_info.video_title}</td>
                  <td className="muted nowrap">
                    <Time value={c.source_info.upload_date} date />
                  </td>
                  <td className="muted">{c.candidate_info.category_path ?? '—'}</td>
                  <td>{c.status_info.is_ppl ? <span className="badge warn">{Math.round(c.status_info.ppl_confidence * 100)}%</span> : `${Math.round(c.status_info.ppl_confidence * 100)}%`}</td>
                  <td className="muted nowrap">
                    <Time value={c.status_info.created_at} date />
                  </td>
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
      {help ? <ShortcutsHelp page="list" onClose={() => setHelp(false)} /> : null}
      {confirming ? (
        <BulkConfirm
          action={t.bulkActions[confirming.to]}
          count={confirming.ids ? confirming.ids.length : null}
          total={confirming.total}
          truncated={confirming.truncated}
          needsReason={confirming.to === 'rejected' || confirming.to === 'archived'}
          busy={busy}
          onRun={(note) => confirming.ids && void bulk(confirming.to, confirming.ids, note)}
          onCancel={() => setConfirming(null)}
        />
      ) : null}
    </>
  );
}
