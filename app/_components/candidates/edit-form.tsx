'use client';

import { useState } from 'react';
import { ko } from '@/app/_i18n/ko';
import type { CandidateDto, CandidateEdit } from '@/src/server/candidates/schemas';

const t = ko.review;
const lines = (s: string) => s.split('\n').map((x) => x.trim()).filter(Boolean);
const MAX_SECONDS = 24 * 3600;

type ClipErrors = { start?: string; end?: string };

/** The clip fields' problems, in Korean: each on the field that is wrong (an untouched field is never blamed). */
function checkClip(startText: string, endText: string): ClipErrors & { start_n: number; end_n: number } {
  const out: ClipErrors & { start_n: number; end_n: number } = { start_n: NaN, end_n: NaN };
  const parse = (s: string): number | string => {
    const v = s.trim() === '' ? NaN : Number(s.trim().replace(',', '.'));
    if (!Number.isFinite(v)) return t.validation.number;
    if (v < 0) return t.validation.min;
    if (v > MAX_SECONDS) return t.validation.max;
    return v;
  };
  const s = parse(startText);
  const e = parse(endText);
  if (typeof s === 'string') out.start = s;
  else out.start_n = s;
  if (typeof e === 'string') out.end = e;
  else out.end_n = e;
  if (typeof s === 'number' && typeof e === 'number' && e <= s) out.end = t.validation.endAfterStart;
  return out;
}

/**
 * Edits the record's fields; only changed fields are sent. The clip times accept the precision the analysis writes
 * (30.125), and the form checks them itself, in Korean, instead of the browser's own (English) validation bubbles.
 */
export function CandidateEditForm(props: { candidate: CandidateDto; busy: boolean; onSave: (f: CandidateEdit) => void; onCancel: () => void }) {
  const i = props.candidate.candidate_info;
  const [name, setName] = useState(i.product_name_manual ?? '');
  const [category, setCategory] = useState(i.category_path ?? '');
  const [start, setStart] = useState(String(i.clip_start_time));
  const [end, setEnd] = useState(String(i.clip_end_time));
  const [titles, setTitles] = useState(i.recommended_titles.join('\n'));
  const [hashtags, setHashtags] = useState(i.recommended_hashtags.join(' '));
  const [hook, setHook] = useState(i.hook_sentence ?? '');
  const [caption, setCaption] = useState(i.summary_for_caption ?? '');
  const [errors, setErrors] = useState<ClipErrors>({});

  function submit(e: React.FormEvent) {
    e.preventDefault();
    const clip = checkClip(start, end);
    const found: ClipErrors = { start: clip.start, end: clip.end };
    setErrors(found);
    if (found.start || found.end) return;
    const f: CandidateEdit = {};
    if (name.trim() !== (i.product_name_manual ?? '')) f.product_name_manual = name.trim() || null;
    if (category.trim() !== (i.category_path ?? '')) f.category_path = category.trim() || null;
    if (clip.start_n !== i.clip_start_time) f.clip_start_time = clip.start_n;
    if (clip.end_n !== i.clip_end_time) f.clip_end_time = clip.end_n;
    if (JSON.stringify(lines(titles)) !== JSON.stringify(i.recommended_titles)) f.recommended_titles = lines(titles);
    const tags = hashtags.split(/\s+/).filter(Boolean);
    if (JSON.stringify(tags) !== JSON.stringify(i.recommended_hashtags)) f.recommended_hashtags = tags;
    if (hook !== (i.hook_sentence ?? '')) f.hook_sentence = hook || null;
    if (caption !== (i.summary_for_caption ?? '')) f.summary_for_caption = caption || null;
    props.onSave(f);
  }

  const problems = [errors.start, errors.end].filter(Boolean);
  return (
    <form className="panel rv-edit" onSubmit={submit} aria-label={t.edit} noValidate>
      <label>
        {t.productNameManual}
        <input value={name} onChange={(e) => setName(e.target.value)} placeholder={i.product_name_ai} autoFocus />
      </label>
      <label>
        {ko.review.columns.category} ({t.categoryHint})
        <input value={category} onChange={(e) => setCategory(e.target.value)} />
      </label>
      <div className="row">
        <label>
          {t.clipStart}
          <input
            type="text"
            inputMode="decimal"
            value={start}
            onChange={(e) => setStart(e.target.value)}
            aria-invalid={errors.start ? true : undefined}
            aria-describedby={errors.start ? 'rv-edit-start-error' : undefined}
          />
          {errors.start ? (
            <span id="rv-edit-start-error" className="error-text rv-field-error">
              {errors.start}
            </span>
          ) : null}
        </label>
        <label>
          {t.clipEnd}
          <input
            type="text"
            inputMode="decimal"
            value={end}
            onChange={(e) => setEnd(e.target.value)}
            aria-invalid={errors.end ? true : undefined}
            aria-describedby={errors.end ? 'rv-edit-end-error' : undefined}
          />
          {errors.end ? (
            <span id="rv-edit-end-error" className="error-text rv-field-error">
              {errors.end}
            </span>
          ) : null}
        </label>
      </div>
      <label>
        {t.titles} ({t.titlesHint})
        <textarea rows={3} value={titles} onChange={(e) => setTitles(e.target.value)} />
      </label>
      <label>
        {t.hashtags} ({t.hashtagsHint})
        <input value={hashtags} onChange={(e) => setHashtags(e.target.value)} />
      </label>
      <label>
        {t.hook}
        <input value={hook} onChange={(e) => setHook(e.target.value)} />
      </label>
      <label>
        {t.caption}
        <textarea rows={5} value={caption} onChange={(e) => setCaption(e.target.value)} />
      </label>
      {problems.length ? (
        <div className="notice error" role="alert">
          {t.validation.summary} {problems.join(' ')}
        </div>
      ) : null}
      <div className="button-row">
        <button type="submit" className="primary" disabled={props.busy}>
          {t.save}
        </button>
        <button type="button" onClick={props.onCancel}>
          {t.cancel}
        </button>
      </div>
    </form>
  );
}
