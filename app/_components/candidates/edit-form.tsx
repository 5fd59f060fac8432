'use client';

import { useState } from 'react';
import { ko } from '@/app/_i18n/ko';
import type { CandidateDto, CandidateEdit } from '@/src/server/candidates/schemas';

const t = ko.review;
const lines = (s: string) => s.split('\n').map((x) => x.trim()).filter(Boolean);

/** Edits the record's fields; only changed fields are sent. */
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

  function submit(e: React.FormEvent) {
    e.preventDefault();
    const f: CandidateEdit = {};
    if (name.trim() !== (i.product_name_manual ?? '')) f.product_name_manual = name.trim() || null;
    if (category.trim() !== (i.category_path ?? '')) f.category_path = category.trim() || null;
    if (Number(start) !== i.clip_start_time) f.clip_start_time = Number(start);
    if (Number(end) !== i.clip_end_time) f.clip_end_time = Number(end);
    if (JSON.stringify(lines(titles)) !== JSON.stringify(i.recommended_titles)) f.recommended_titles = lines(titles);
    const tags = hashtags.split(/\s+/).filter(Boolean);
    if (JSON.stringify(tags) !== JSON.stringify(i.recommended_hashtags)) f.recommended_hashtags = tags;
    if (hook !== (i.hook_sentence ?? '')) f.hook_sentence = hook || null;
    if (caption !== (i.summary_for_caption ?? '')) f.summary_for_caption = caption || null;
    props.onSave(f);
  }

  return (
    <form className="panel rv-edit" onSubmit={submit} aria-label={t.edit}>
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
          {t.clip} start ({t.seconds})
          <input type="number" step="0.1" min={0} value={start} onChange={(e) => setStart(e.target.value)} />
        </label>
        <label>
          {t.clip} end ({t.seconds})
          <input type="number" step="0.1" min={0} value={end} onChange={(e) => setEnd(e.target.value)} />
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
      <div style={{ display: 'flex', gap: 8 }}>
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
