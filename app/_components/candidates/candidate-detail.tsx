'use client';

import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useEffect, useRef, useState } from 'react';
import { ko } from '@/app/_i18n/ko';
import { RichText } from '@/app/_components/rich-text';
import { useDateFormat } from '@/app/_components/time';
import type { CandidateDto, CandidateEdit, CandidateEventDto } from '@/src/server/candidates/schemas';
import { allowedTransitions, approveBlocker } from '@/src/server/candidates/transitions';
import { ClipPlayer, mediaUrl, type ClipPlayerHandle } from './clip-player';
import { CandidateEditForm } from './edit-form';
import { History } from './history';
import { ReelDraft } from './reel-draft';
import { ShortcutsHelp } from './shortcuts-help';
import { api, ApiError, copyText, lastAction, typingIn, viewSearch, type View } from './view';
import './review.css';

const t = ko.review;
type Message = { kind: 'ok' | 'error'; text: string; conflict?: boolean } | null;

/** The Korean message of a failed call (the API's own message is developer wording and is not shown). */
function errorText(e: unknown): { text: string; conflict: boolean } {
  if (e instanceof ApiError) {
    if (e.code === 'conflict' && (e.field === 'version' || /version|changed/i.test(e.message))) return { text: t.conflict, conflict: true };
    if (e.code === 'invalid_transition') return { text: `${t.invalidTransition}. ${e.text}`, conflict: false };
    return { text: e.text, conflict: false };
  }
  return { text: `${t.failed}: ${String(e)}`, conflict: false };
}

const COPY_FIELDS = ['recommended_titles', 'recommended_hashtags', 'hook_sentence', 'summary_for_caption'] as const;
const copyText_ = (c: CandidateDto, f: (typeof COPY_FIELDS)[number]) => {
  const v = c.candidate_info[f];
  return Array.isArray(v) ? v.join('\n') : (v ?? '');
};
const compact = (s: string) => s.replace(/[^0-9A-Za-z\uAC00-\uD7A3]/g, '');

/**
 * What a save did to the copy, for the message: the copy fields rewritten with a new product name (the server does
 * it), and those the operator wrote that still name the old product.
 */
function savedMessage(before: CandidateDto, after: CandidateDto, sent: CandidateEdit): string {
  const oldName = before.candidate_info.product_name;
  if (oldName === after.candidate_info.product_name) return t.saved;
  const names = (fs: readonly string[]) => fs.map((f) => t.copyFieldNames[f]).join('·');
  const untouched = COPY_FIELDS.filter((f) => sent[f] === undefined);
  const renamed = untouched.filter((f) => copyText_(before, f) !== copyText_(after, f));
  const kept = untouched.filter((f) => !renamed.includes(f) && (copyText_(after, f).includes(oldName) || compact(copyText_(after, f)).includes(compact(oldName))));
  return [t.saved, renamed.length ? t.renamedCopy(names(renamed)) : '', kept.length ? t.keptCopy(names(kept)) : ''].filter(Boolean).join(' ');
}

const searchLinks = (name: string) => {
  const q = encodeURIComponent(name);
  return [
    { label: t.searchGoogle, href: `https://www.google.com/search?q=${q}` },
    { label: t.searchNaver, href: `https://search.naver.com/search.naver?query=${q}` },
    { label: t.searchNaverShopping, href: `https://search.shopping.naver.com/search/all?query=${q}` },
    { label: t.searchCoupang, href: `https://www.coupang.com/np/search?q=${q}` },
  ];
};

function CopyField(props: { label: string; copyLabel: string; text: string; children: React.ReactNode; onCopied: (ok: boolean) => void }) {
  return (
    <div className="rv-field">
      <div className="head">
        <span>{props.label}</span>
        <button type="button" className="rv-copy" aria-label={props.copyLabel} onClick={async () => props.onCopied(await copyText(props.text))}>
          {t.copy}
        </button>
      </div>
      <div className="body">{props.children}</div>
    </div>
  );
}

/** One candidate: player, evidence, AI copy with copy buttons, Coupang match, score, actions, history. */
export function CandidateDetail(props: {
  candidate: CandidateDto;
  events: CandidateEventDto[];
  view: View;
  neighbours: { next: string | null; previous: string | null };
}) {
  const router = useRouter();
  const [c, setC] = useState(props.candidate);
  const [events, setEvents] = useState(props.events);
  const [message, setMessage] = useState<Message>(null);
  const [busy, setBusy] = useState(false);
  const [editing, setEditing] = useState(false);
  /** The reason form is open for a reject or an archive. */
  const [reasonFor, setReasonFor] = useState<'rejected' | 'archived' | null>(null);
  const [reason, setReason] = useState('');
  const [help, setHelp] = useState(false);
  const [linkUrl, setLinkUrl] = useState('');
  const [searching, setSearching] = useState(false);
  /** The outcome of the Coupang search, shown beside its button. */
  const [coupangNote, setCoupangNote] = useState<Message>(null);
  const dates = useDateFormat();
  const player = useRef<ClipPlayerHandle>(null);
  const reasonInput = useRef<HTMLInputElement>(null);
  const [ready, setReady] = useState(false);
  useEffect(() => setReady(true), []);

  useEffect(() => {
    setC(props.candidate);
    setEvents(props.events);
  }, [props.candidate, props.events]);
  useEffect(() => {
    setEditing(false);
    setReasonFor(null);
    setMessage(null);
    setCoupangNote(null);
    setLinkUrl('');
  }, [props.candidate.id]);

  const status = c.status_info.current_status;
  const can = (to: string) => (allowedTransitions[status] as readonly string[]).includes(to);
  const blocker = approveBlocker(status);
  const canRestore = can('needs_review') && status !== 'filtered_no_coupang';
  const info = c.candidate_info;
  const captionText = info.summary_for_caption ?? '';
  const qs = viewSearch(props.view, {}, ['cursor']);

  async function reload() {
    const [fresh, ev] = await Promise.all([
      api<CandidateDto>(`/api/v1/candidates/${c.id}`),
      api<{ items: CandidateEventDto[] }>(`/api/v1/candidates/${c.id}/events`),
    ]);
    setC(fresh);
    setEvents(ev.items);
  }

  async function openNext() {
    const nb = await api<{ next: string | null }>(`/api/v1/candidates/${c.id}/neighbours${qs}`);
    if (nb.next) router.push(`/candidates/${nb.next}${qs}`);
    else router.push(`/${qs}`);
  }

  async function run<T>(fn: () => Promise<T>, ok: string | ((result: T) => string), advance = false) {
    if (busy) return;
    setBusy(true);
    setMessage(null);
    try {
      const result = await fn();
      lastAction.set(c.id);
      if (advance) await openNext();
      else {
        await reload();
        setMessage({ kind: 'ok', text: typeof ok === 'string' ? ok : ok(result) });
      }
    } catch (e) {
      const err = errorText(e);
      setMessage({ kind: 'error', text: err.text, conflict: err.conflict });
    } finally {
      setBusy(false);
    }
  }

  const transition = (to: string, note?: string) =>
    run(
      () => api(`/api/v1/candidates/${c.id}/transition`, { method: 'POST', body: { to, note, version: c.version } }),
      t.moved(t.statuses[to] ?? to),
      to === 'approved' || to === 'rejected' || to === 'published' || to === 'archived',
    );

  /** Approve (a 낮은 점수 candidate through review, by the server); where it cannot be approved, say why. */
  function approve() {
    if (blocker) setMessage({ kind: 'error', text: t.approveBlocked[blocker] });
    else void transition('approved');
  }

  function askReason(to: 'rejected' | 'archived') {
    if (!can(to)) {
      setMessage({ kind: 'error', text: to === 'archived' ? t.archiveBlocked : `${t.invalidTransition}.` });
      return;
    }
    setReasonFor(to);
    setTimeout(() => reasonInput.current?.focus(), 0);
  }

  function restore() {
    if (canRestore) void transition('needs_review');
    else setMessage({ kind: 'error', text: status === 'filtered_no_coupang' ? t.approveBlocked.needs_link : t.restoreBlocked });
  }

  /** The on-demand Coupang search of this candidate (any score), with the result or the reason in Korean. */
  async function searchCoupang() {
    if (busy || searching) return;
    setSearching(true);
    setCoupangNote(null);
    try {
      const res = await api<{ status: string; retryAt?: string }>(`/api/v1/candidates/${c.id}/monetize`, { method: 'POST' });
      const fresh = await api<CandidateDto>(`/api/v1/candidates/${c.id}`);
      setC(fresh);
      setEvents((await api<{ items: CandidateEventDto[] }>(`/api/v1/candidates/${c.id}/events`)).items);
      const r = t.coupangResult;
      const m = fresh.monetization_info;
      const text =
        res.status === 'matched'
          ? r.matched(m.matched_product?.name ?? fresh.candidate_info.product_name)
          : res.status === 'no_match'
            ? r.no_match(m.keyword ?? fresh.candidate_info.product_name)
            : res.status === 'postponed'
              ? r.postponed(dates.dateTime(res.retryAt))
              : res.status === 'deferred'
                ? r.deferred
                : res.status === 'skipped'
                  ? r.skipped
                  : r.not_configured;
      setCoupangNote({ kind: res.status === 'matched' || res.status === 'postponed' ? 'ok' : 'error', text });
    } catch (e) {
      const code = e instanceof ApiError ? e.code : '';
      const text = code === 'not_configured' || code === 'rate_limited' || code === 'upstream_failed' ? t.coupangResult[code] : errorText(e).text;
      setCoupangNote({ kind: 'error', text });
    } finally {
      setSearching(false);
    }
  }

  async function undo() {
    const id = lastAction.get() ?? c.id;
    setBusy(true);
    try {
      await api(`/api/v1/candidates/${id}/undo`, { method: 'POST' });
      lastAction.clear();
      if (id !== c.id) {
        router.push(`/candidates/${id}${qs}`);
        return;
      }
      await reload();
      setMessage({ kind: 'ok', text: t.undone });
    } catch (e) {
      setMessage({ kind: 'error', text: errorText(e).text });
    } finally {
      setBusy(false);
    }
  }

  const copyCaption = async () => setMessage((await copyText(captionText)) ? { kind: 'ok', text: `${t.caption}: ${t.copied}` } : { kind: 'error', text: t.copyFailed });

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (typingIn(e) || e.metaKey || e.ctrlKey || e.altKey) return;
      const k = e.key;
      if (k === '?') setHelp((h) => !h);
      else if (k === 'Escape') {
        setHelp(false);
        setEditing(false);
        setReasonFor(null);
      } else if (k === 'a') approve();
      else if (k === 'r') askReason('rejected');
      else if (k === 'b') askReason('archived');
      else if (k === 'n') restore();
      else if (k === 'e') setEditing((x) => !x);
      else if (k === 'p' && can('published')) void transition('published');
      else if (k === 'j' && props.neighbours.next) router.push(`/candidates/${props.neighbours.next}${qs}`);
      else if (k === 'k' && props.neighbours.previous) router.push(`/candidates/${props.neighbours.previous}${qs}`);
      else if (k === ' ') player.current?.play();
      else if (k === 'c') void copyCaption();
      else if (k === 'u') void undo();
      else return;
      e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  });

  const ev = c.evidence;
  const sd = info.score_details;
  const product = c.monetization_info.matched_product;
  const onCopied = (label: string) => (ok: boolean) => setMessage(ok ? { kind: 'ok', text: `${label}: ${t.copied}` } : { kind: 'error', text: t.copyFailed });

  return (
    <>
      <div className="rv-head">
        <div>
          <Link href={`/${qs}`}>← {t.back}</Link>
          <h1 data-testid="product-name">{info.product_name}</h1>
          <div className="muted">
            <span className="badge" data-status={status}>
              {t.statuses[status]}
            </span>{' '}
            {c.isDemo ? <span className="badge demo">{ko.common.demo}</span> : null} {c.source_info.celebrity_name} · {c.source_info.channel_name} ·{' '}
            <a href={c.source_info.video_url} target="_blank" rel="noreferrer noopener">
              {c.source_info.video_title}
            </a>
          </div>
        </div>
        <div className="rv-searches">
          {props.neighbours.previous ? (
            <Link href={`/candidates/${props.neighbours.previous}${qs}`} aria-keyshortcuts="k">
              {t.previous}
            </Link>
          ) : null}
          {props.neighbours.next ? (
            <Link href={`/candidates/${props.neighbours.next}${qs}`} aria-keyshortcuts="j">
              {t.next}
            </Link>
          ) : null}
          <button type="button" className="rv-copy" onClick={() => setHelp(true)} aria-keyshortcuts="?">
            {t.shortcuts} <kbd>?</kbd>
          </button>
        </div>
      </div>

      <div className="rv-actions" role="toolbar" aria-label={t.actions} data-ready={ready ? c.id : undefined}>
        {!blocker ? (
          <button type="button" className="approve" disabled={busy} onClick={approve} aria-keyshortcuts="a">
            {t.approve} <kbd>a</kbd>
          </button>
        ) : null}
        {can('rejected') ? (
          <button type="button" className="reject" disabled={busy} onClick={() => askReason('rejected')} aria-keyshortcuts="r">
            {t.reject} <kbd>r</kbd>
          </button>
        ) : null}
        {can('under_revision') ? (
          <button type="button" disabled={busy} onClick={() => transition('under_revision')}>
            {t.revise}
          </button>
        ) : null}
        {can('published') ? (
          <button type="button" disabled={busy} onClick={() => transition('published')} aria-keyshortcuts="p">
            {t.publish} <kbd>p</kbd>
          </button>
        ) : null}
        {canRestore ? (
          <button type="button" disabled={busy} onClick={restore} aria-keyshortcuts="n">
            {t.restore} <kbd>n</kbd>
          </button>
        ) : null}
        {can('archived') ? (
          <button type="button" disabled={busy} onClick={() => askReason('archived')} aria-keyshortcuts="b">
            {t.archive} <kbd>b</kbd>
          </button>
        ) : null}
        <button type="button" disabled={busy} onClick={() => setEditing((x) => !x)} aria-keyshortcuts="e" aria-expanded={editing}>
          {t.edit} <kbd>e</kbd>
        </button>
        <button type="button" disabled={busy} onClick={() => undo()} aria-keyshortcuts="u">
          {t.undo} <kbd>u</kbd>
        </button>
      </div>

      {reasonFor ? (
        <form
          className="rv-actions"
          onSubmit={(e) => {
            e.preventDefault();
            if (!reason.trim()) return;
            const to = reasonFor;
            setReasonFor(null);
            void transition(to, reason);
          }}
        >
          <input
            ref={reasonInput}
            aria-label={reasonFor === 'rejected' ? t.rejectReason : t.archiveReason}
            placeholder={reasonFor === 'rejected' ? t.rejectReason : t.archiveReason}
            value={reason}
            onChange={(e) => setReason(e.target.value)}
            style={{ flex: 1, minWidth: 200 }}
          />
          <button type="submit" className="reject" disabled={!reason.trim()}>
            {reasonFor === 'rejected' ? t.rejectConfirm : t.archive}
          </button>
          <button type="button" onClick={() => setReasonFor(null)}>
            {t.cancel}
          </button>
        </form>
      ) : null}

      {message ? (
        <div className={`notice rv-message ${message.kind === 'error' ? 'error' : ''}`} role={message.kind === 'error' ? 'alert' : 'status'}>
          <RichText text={message.text} />{' '}
          {message.conflict ? (
            <button type="button" onClick={() => reload().then(() => setMessage(null))}>
              {t.reload}
            </button>
          ) : null}
        </div>
      ) : null}

      {editing ? (
        <CandidateEditForm
          candidate={c}
          onCancel={() => setEditing(false)}
          onSave={(fields) =>
            run(
              async () => {
                const after = await api<CandidateDto>(`/api/v1/candidates/${c.id}`, { method: 'PATCH', body: { version: c.version, ...fields } });
                setEditing(false);
                return savedMessage(c, after, fields);
              },
              (text) => text,
            )
          }
          busy={busy}
        />
      ) : null}

      <div className="rv-detail">
        <div>
          <section className="rv-player" aria-label={t.player}>
            <h2>
              {t.player} · {t.clip} {Math.floor(info.clip_start_time)}–{Math.ceil(info.clip_end_time)}
              {t.seconds} <kbd>space</kbd>
            </h2>
            <ClipPlayer ref={player} candidate={c} />
            {ev.product_visible ? <p className="muted">{t.productVisible(ev.product_visible.start.toFixed(1), ev.product_visible.end.toFixed(1))}</p> : null}
          </section>

          <section aria-label={ko.reel.title}>
            <h2>{ko.reel.title}</h2>
            <ReelDraft candidateId={c.id} version={c.version} status={status} />
          </section>

          <section aria-label={t.crop}>
            <h2>{t.crop}</h2>
            {ev.crop_path ? (
              <div className="rv-crop">
                <img src={mediaUrl(ev.crop_path)} alt={`${t.crop}: ${info.product_name}`} />
                <div className="rv-searches">
                  <a href={mediaUrl(ev.crop_path, true)} download>
                    {t.downloadCrop}
                  </a>
                  <a href="https://lens.google.com/" target="_blank" rel="noreferrer noopener">
                    {t.googleLens}
                  </a>
                  <a href="https://search.naver.com/search.naver?where=image&query=%EC%8A%A4%EB%A7%88%ED%8A%B8%EB%A0%8C%EC%A6%88" target="_blank" rel="noreferrer noopener">
                    {t.naverLens}
                  </a>
                </div>
              </div>
            ) : (
              <p className="muted">{t.noCrop}</p>
            )}
            {ev.frame_paths.length ? (
              <>
                <h2>{t.frames}</h2>
                <div className="rv-frames">
                  {ev.frame_paths.map((p, i) => (
                    <img key={p} src={mediaUrl(p)} alt={`${t.frames} ${i + 1} (${ev.frame_timestamps[i] ?? ''}${t.seconds})`} />
                  ))}
                </div>
              </>
            ) : null}
          </section>

          <section aria-label={t.search}>
            <h2>{t.search}</h2>
            <div className="rv-searches">
              {searchLinks(info.product_name).map((s) => (
                <a key={s.label} href={s.href} target="_blank" rel="noreferrer noopener">
                  {s.label}
                </a>
              ))}
            </div>
          </section>

          <section aria-label={t.evidence}>
            <h2>{t.evidence}</h2>
            <div className="rv-field">
              <div className="head">{t.transcript}</div>
              {ev.transcript_span.length ? (
                <ul>
                  {ev.transcript_span.map((s, i) => (
                    <li key={i}>
                      <span className="muted">
                        {s.start.toFixed(1)}–{s.end.toFixed(1)}
                        {t.seconds}
                      </span>{' '}
                      {s.text}
                    </li>
                  ))}
                </ul>
              ) : (
                <p className="muted">{t.noEvidence}</p>
              )}
            </div>
            <div className="rv-field">
              <div className="head">{t.ocr}</div>
              {ev.ocr_lines.length ? (
                <ul>
                  {ev.ocr_lines.map((l, i) => (
                    <li key={i}>{l}</li>
                  ))}
                </ul>
              ) : (
                <p className="muted">{t.noEvidence}</p>
              )}
            </div>
            {ev.detections.length ? (
              <div className="rv-field">
                <div className="head">{t.detections}</div>
                <div className="body">{ev.detections.join(', ')}</div>
              </div>
            ) : null}
            {ev.visual_evidence ? (
              <div className="rv-field">
                <div className="head">{t.visualSource}</div>
                <div className="body">
                  {t.visualSources[ev.visual_evidence.source] ?? ev.visual_evidence.source}
                  <div className="muted">{ev.visual_evidence.note}</div>
                </div>
              </div>
            ) : null}
          </section>

          <section aria-label={t.history}>
            <h2>{t.history}</h2>
            <History events={events} />
          </section>
        </div>

        <div>
          <section aria-label={t.aiFields}>
            <h2>{t.aiFields}</h2>
            <div className="rv-field">
              <div className="head">{t.productName}</div>
              <div className="body">
                {info.product_name}
                {info.product_name_manual ? (
                  <div className="muted">
                    {t.productNameAi}: {info.product_name_ai}
                  </div>
                ) : null}
              </div>
            </div>
            <div className="rv-field">
              <div className="head">{ko.review.columns.category}</div>
              <div className="body">{info.category_path ?? '—'}</div>
            </div>
            <CopyField label={t.titles} copyLabel={t.copyTitles} text={info.recommended_titles.join('\n')} onCopied={onCopied(t.titles)}>
              <ol>
                {info.recommended_titles.map((x, i) => (
                  <li key={i}>{x}</li>
                ))}
              </ol>
            </CopyField>
            <CopyField label={t.hashtags} copyLabel={t.copyHashtags} text={info.recommended_hashtags.join(' ')} onCopied={onCopied(t.hashtags)}>
              {info.recommended_hashtags.join(' ')}
            </CopyField>
            <CopyField label={t.hook} copyLabel={t.copyHook} text={info.hook_sentence ?? ''} onCopied={onCopied(t.hook)}>
              {info.hook_sentence ?? '—'}
            </CopyField>
            <CopyField label={t.caption} copyLabel={t.copyCaption} text={captionText} onCopied={onCopied(t.caption)}>
              {captionText || '—'}
            </CopyField>
            <div className="rv-field">
              <div className="head">{t.features}</div>
              <div className="body">{info.features.length ? info.features.join(' · ') : '—'}</div>
            </div>
            <div className="rv-field muted">
              {t.targetAudience}: {info.target_audience.join(', ') || '—'} · {t.pricePoint}: {info.price_point ?? '—'} · {t.endorsementType}:{' '}
              {info.endorsement_type ?? '—'} · {t.method}: {info.analysis_method === 'llm' ? t.filters.methodLlm : t.filters.methodRule}
            </div>
          </section>

          <section aria-label={t.coupang}>
            <h2>{t.coupang}</h2>
            {product ? (
              <div className="rv-field" style={{ display: 'flex', gap: 10 }}>
                {product.image ? <img src={product.image} alt={product.name} style={{ width: 80, height: 80, objectFit: 'cover' }} /> : null}
                <div>
                  <div>{product.name}</div>
                  {product.price !== null ? (
                    <div>
                      {t.price}: {t.won(product.price)}
                    </div>
                  ) : null}
                </div>
              </div>
            ) : (
              <p className="muted">{t.noCoupang}</p>
            )}
            {!['published', 'rejected', 'archived'].includes(status) ? (
              <div className="button-row">
                <button type="button" onClick={searchCoupang} disabled={busy || searching} aria-busy={searching || undefined}>
                  {searching ? t.coupangSearching : t.coupangSearch}
                </button>
              </div>
            ) : null}
            {coupangNote ? (
              <div className={`notice rv-message ${coupangNote.kind === 'error' ? 'error' : ''}`} role={coupangNote.kind === 'error' ? 'alert' : 'status'}>
                <RichText text={coupangNote.text} />
              </div>
            ) : null}
            {c.monetization_info.coupang_url ? (
              <p>
                <a href={c.monetization_info.coupang_url} target="_blank" rel="noreferrer noopener" data-testid="coupang-link">
                  {c.monetization_info.coupang_url}
                </a>
              </p>
            ) : null}
            {c.monetization_info.public_link ? (
              <CopyField
                label={ko.linkPage.shortLink}
                copyLabel={ko.linkPage.copyShortLink}
                text={c.monetization_info.public_link.url}
                onCopied={onCopied(ko.linkPage.shortLink)}
              >
                <p className="rv-short-link">
                  <a href={c.monetization_info.public_link.url} target="_blank" rel="noreferrer noopener" data-testid="short-link">
                    {c.monetization_info.public_link.url}
                  </a>{' '}
                  <span className="muted">· {ko.linkPage.clicks(c.monetization_info.public_link.clicks)}</span>
                </p>
                <p className="muted">
                  {ko.linkPage.shortLinkHelp}{' '}
                  <a href="/l" target="_blank" rel="noreferrer noopener">
                    {ko.linkPage.openPublicPage}
                  </a>
                </p>
              </CopyField>
            ) : null}
            {!['published', 'rejected', 'archived'].includes(status) ? (
              <form
                className="rv-actions"
                onSubmit={(e) => {
                  e.preventDefault();
                  void run(
                    async () => {
                      const res = await api<{ message: string }>(`/api/v1/candidates/${c.id}/link`, { method: 'POST', body: { url: linkUrl, version: c.version } });
                      setLinkUrl('');
                      return res;
                    },
                    (res) => `${t.linkDone} ${res.message}`,
                  );
                }}
              >
                <input type="url" aria-label={t.linkLabel} placeholder="https://www.coupang.com/vp/products/…" value={linkUrl} onChange={(e) => setLinkUrl(e.target.value)} required style={{ flex: 1, minWidth: 220 }} />
                <button type="submit" disabled={busy || !linkUrl.trim()}>
                  {status === 'filtered_no_coupang' ? t.linkRestore : t.linkSubmit}
                </button>
              </form>
            ) : null}
          </section>

          <section aria-label={t.score}>
            <h2>
              {t.score}: <strong data-testid="score-total">{sd.total}</strong>
            </h2>
            <div className="rv-score">
              {(
                [
                  [t.sentiment, sd.sentiment_score, sd.evidence?.sentiment],
                  [t.endorsement, sd.endorsement_score, sd.evidence?.endorsement],
                  [t.influencer, sd.influencer_score, sd.evidence?.influencer],
                ] as const
              ).map(([label, value, words]) => (
                <div key={label} style={{ display: 'contents' }}>
                  <span>{label}</span>
                  <meter min={0} max={1} value={value} aria-label={label} />
                  <span>{value.toFixed(2)}</span>
                  {words?.length ? <span className="muted" style={{ gridColumn: '1 / -1' }}>{words.join(', ')}</span> : null}
                </div>
              ))}
            </div>
            <p className="muted">
              {t.pplConfidence}: {Math.round(c.status_info.ppl_confidence * 100)}%{' '}
              {c.status_info.ppl_reasons.length ? `(${c.status_info.ppl_reasons.map((r) => r.pattern).join(', ')})` : ''}
            </p>
          </section>
        </div>
      </div>
      {help ? <ShortcutsHelp page="detail" onClose={() => setHelp(false)} /> : null}
    </>
  );
}
