import { ko } from '@/app/_i18n/ko';
import { Time } from '@/app/_components/time';
import type { CandidateEventDto } from '@/src/server/candidates/schemas';

const t = ko.review;
const show = (v: unknown) => (v === null || v === undefined ? '—' : typeof v === 'string' ? v : JSON.stringify(v));

/** The candidate's event history: who, when, from → to, field diff, note. Rendered as text only. */
export function History({ events }: { events: CandidateEventDto[] }) {
  if (!events.length) return <p className="muted">{t.noHistory}</p>;
  return (
    <ol className="rv-history" aria-label={t.history}>
      {[...events].reverse().map((e) => (
        <li key={e.id} data-event-kind={e.kind}>
          <div>
            <strong>{t.eventKinds[e.kind] ?? e.kind}</strong>{' '}
            {e.fromStatus && e.toStatus && e.fromStatus !== e.toStatus ? (
              <span>
                {t.statuses[e.fromStatus] ?? e.fromStatus} → {t.statuses[e.toStatus] ?? e.toStatus}
              </span>
            ) : null}{' '}
            <span className="muted">
              · {e.actor} · <Time value={e.at} />
            </span>
          </div>
          {e.diff
            ? Object.entries(e.diff).map(([field, d]) => (
                <div key={field} className="diff" data-derived={d.derived ? 'true' : undefined}>
                  {t.fieldNames[field] ?? field}: {show(d.from)} → {show(d.to)}
                  {d.derived ? <span className="badge">{t.derived}</span> : null}
                </div>
              ))
            : null}
          {e.note ? <div className="diff">“{e.note}”</div> : null}
        </li>
      ))}
    </ol>
  );
}
