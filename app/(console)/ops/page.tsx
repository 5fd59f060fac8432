import { ko } from '@/app/_i18n/ko';
import { getHealth } from '@/src/server/ops/health';
import { getOpsOverview } from '@/src/server/ops/dashboard';
import { PostButton, RefreshWhile, RetryJobButton } from './actions';
import { BarChart } from './charts';
import { modelName, modelStateText } from './model-state';

const usd = (n: number) => `$${n.toFixed(n < 1 ? 4 : 2)}`;
const when = (iso: string | null, tz: string) => (iso ? new Date(iso).toLocaleString('ko-KR', { timeZone: tz }) : '—');

export default async function OpsPage() {
  const h = await getHealth();
  const o = await getOpsOverview();
  const t = ko.operations;
  const tz = o.budget.timeZone;
  const yes = (ok: boolean, a: string, b: string) => <span className={`badge ${ok ? 'ok' : 'fail'}`}>{ok ? a : b}</span>;
  const slack = o.integrations.find((i) => i.name === 'slack');
  const modelsBusy = h.models.some((m) => m.state === 'downloading' || m.state === 'queued');
  const modelsRetryable = !modelsBusy && h.models.some((m) => m.state === 'failed' || (m.state === 'missing' && m.reason === 'not_started'));
  return (
    <div className="stack">
      <h1>{ko.ops.title}</h1>

      <section className="panel" aria-label={t.budget}>
        <h2>{t.budget}</h2>
        {o.budget.paused ? (
          <p className="notice error" role="status">
            <strong>{t.budgetPaused}</strong>: {o.budget.reason} — {t.resumesAt}: {when(o.budget.resumesAt, tz)}
            <br />
            <span className="muted">{o.budget.llmQueues.join(', ')}</span>
          </p>
        ) : (
          <p>
            <span className="badge ok">{t.budgetRunning}</span>
          </p>
        )}
        <table>
          <tbody>
            <tr>
              <th>{t.daily} ({o.budget.day})</th>
              <td>
                {usd(o.budget.dailySpendUsd)} / {o.budget.dailyLimitUsd === null ? t.noLimit : usd(o.budget.dailyLimitUsd)}
              </td>
            </tr>
            <tr>
              <th>{t.monthly} ({o.budget.month})</th>
              <td>
                {usd(o.budget.monthlySpendUsd)} / {o.budget.monthlyLimitUsd === null ? t.noLimit : usd(o.budget.monthlyLimitUsd)}
              </td>
            </tr>
          </tbody>
        </table>
      </section>

      <section className="panel" aria-label={t.integrations}>
        <h2>{t.integrations}</h2>
        <table>
          <thead>
            <tr>
              <th>{t.provider}</th>
              <th>{ko.ops.configured}</th>
              <th>{t.healthy}</th>
              <th>{t.breaker}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {o.integrations.map((i) => (
              <tr key={i.name} data-integration={i.name}>
                <th>{i.name}</th>
                <td>{yes(i.configured, ko.ops.configured, ko.ops.notConfigured)}</td>
                <td>{i.configured ? yes(i.healthy, t.healthy, t.unhealthy) : '—'}</td>
                <td>
                  {i.breaker ? t.breakerStates[i.breaker.state] : '—'}
                  {i.breaker?.retryAt ? <span className="muted"> ({when(i.breaker.retryAt, tz)})</span> : null}
                  {i.breaker?.lastFailure ? <div className="muted">{i.breaker.lastFailure}</div> : null}
                </td>
                <td>
                  {i.detail ? <span className={i.healthy || !i.configured ? 'muted' : 'error-text'}>{i.detail}</span> : null}
                  {i.name === 'slack' && slack?.configured && slack.detail ? (
                    <div>
                      <PostButton path="/api/v1/ops/slack/reenable" label={t.slackReenable} />
                    </div>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>

      <section className="panel" aria-label={ko.models.heading}>
        <h2>{ko.models.heading}</h2>
        <p className="muted">{ko.models.intro}</p>
        <RefreshWhile active={modelsBusy} />
        <table>
          <thead>
            <tr>
              <th>{ko.models.model}</th>
              <th>{ko.models.state}</th>
            </tr>
          </thead>
          <tbody>
            {h.models.map((m) => {
              const s = modelStateText(m);
              return (
                <tr key={m.name} data-model={m.name} data-state={m.state}>
                  <th>{modelName(m.name)}</th>
                  <td>
                    <span className={`badge ${s.tone === 'muted' ? '' : s.tone}`}>
                      {modelName(m.name).split(' (')[0]}: {s.text}
                    </span>
                    {m.state === 'downloading' && m.progress?.percent != null ? (
                      <progress max={100} value={m.progress.percent} aria-label={s.text} style={{ marginLeft: 8 }} />
                    ) : null}
                    {s.detail ? <div className={s.tone === 'fail' ? 'error-text' : 'muted'}>{s.detail}</div> : null}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
        {modelsRetryable ? <PostButton path="/api/v1/ops/models/retry" label={ko.models.retry} done={ko.models.retried} /> : null}
      </section>

      <section className="panel" aria-label={t.queues}>
        <h2>{t.queues}</h2>
        <table>
          <thead>
            <tr>
              <th>{t.queue}</th>
              <th>{t.waiting}</th>
              <th>{t.active}</th>
              <th>{t.failed}</th>
              <th>{t.completed}</th>
            </tr>
          </thead>
          <tbody>
            {o.queues.map((q) => (
              <tr key={q.name} data-queue={q.name}>
                <th>
                  {q.name} {q.usesLlm ? <span className="badge">{t.llm}</span> : null}{' '}
                  {q.usesLlm && o.budget.paused ? <span className="badge warn">{t.paused}</span> : null}
                </th>
                <td>{q.waiting}</td>
                <td>{q.active}</td>
                <td>{q.failed > 0 ? <span className="error-text">{q.failed}</span> : 0}</td>
                <td className="muted">{q.completed}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>

      <section className="panel" aria-label={t.failedJobs}>
        <h2>{t.failedJobs}</h2>
        {o.failedJobs.length === 0 ? (
          <p className="muted">{t.noFailedJobs}</p>
        ) : (
          <table>
            <thead>
              <tr>
                <th>{t.queue}</th>
                <th>{t.error}</th>
                <th>{t.failedAt}</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {o.failedJobs.map((j) => (
                <tr key={j.id}>
                  <td>
                    {j.queue}
                    <div className="muted">{JSON.stringify(j.data)}</div>
                  </td>
                  <td className="error-text">{j.error}</td>
                  <td>{when(j.failedAt, tz)}</td>
                  <td>
                    <RetryJobButton queue={j.queue} id={j.id} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>

      <section className="panel" aria-label={t.throughput}>
        <h2>{t.throughput}</h2>
        <BarChart label={t.throughput} data={o.throughput.map((d) => ({ key: d.day.slice(5), value: d.done, title: `${d.day} 등록 ${d.created} · 완료 ${d.done} · 실패 ${d.failed} · 후보 ${d.candidates}` }))} />
        <h3>{t.stageTimings}</h3>
        {o.stageTimings.length === 0 ? (
          <p className="muted">{t.noTimings}</p>
        ) : (
          <>
            <BarChart label={t.stageTimings} unit="s" data={o.stageTimings.map((s) => ({ key: ko.stages[s.stage] ?? s.stage, value: s.p50Seconds, title: `${s.stage}: p50 ${s.p50Seconds.toFixed(1)}s, p90 ${s.p90Seconds.toFixed(1)}s (n=${s.count})` }))} />
            <table>
              <tbody>
                {o.stageTimings.map((s) => (
                  <tr key={s.stage}>
                    <th>{ko.stages[s.stage] ?? s.stage}</th>
                    <td>
                      {s.p50Seconds.toFixed(1)} / {s.p90Seconds.toFixed(1)} <span className="muted">(n={s.count})</span>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </>
        )}
      </section>

      <section className="panel" aria-label={t.quotas}>
        <h2>{t.quotas}</h2>
        <table>
          <tbody>
            <tr>
              <th>{t.youtubeUnits}</th>
              <td>
                {o.quotas.youtube.remainingUnits} / {o.quotas.youtube.limitUnits} {o.quotas.youtube.configured ? null : <span className="badge">{ko.ops.notConfigured}</span>}
              </td>
            </tr>
            <tr>
              <th>{t.coupangCalls}</th>
              <td>
                {o.quotas.coupang.remaining} / {o.quotas.coupang.limitPerHour} {o.quotas.coupang.configured ? null : <span className="badge">{ko.ops.notConfigured}</span>}
              </td>
            </tr>
          </tbody>
        </table>
      </section>

      <section className="panel" aria-label={t.usageByDay}>
        <h2>{t.usageByDay}</h2>
        {o.usageByDay.length === 0 ? (
          <p className="muted">{t.noUsage}</p>
        ) : (
          <table>
            <thead>
              <tr>
                <th>{t.day}</th>
                <th>{t.provider}</th>
                <th>{t.calls}</th>
                <th>{t.errors}</th>
                <th>{t.units}</th>
                <th>{t.tokens}</th>
                <th>{t.cost}</th>
              </tr>
            </thead>
            <tbody>
              {o.usageByDay.map((u) => (
                <tr key={`${u.day}-${u.provider}`}>
                  <td>{u.day}</td>
                  <td>{u.provider}</td>
                  <td>{u.calls}</td>
                  <td>{u.errors}</td>
                  <td>{u.units}</td>
                  <td>{u.tokens}</td>
                  <td>{usd(u.costUsd)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        <h3>{t.usageByVideo}</h3>
        {o.usageByVideo.length === 0 ? (
          <p className="muted">{t.noUsage}</p>
        ) : (
          <table>
            <tbody>
              {o.usageByVideo.map((v) => (
                <tr key={v.videoId}>
                  <td>
                    <a href={`/videos/${v.videoId}`}>{v.title || `#${v.videoId}`}</a>
                  </td>
                  <td>{v.calls}</td>
                  <td>{v.tokens}</td>
                  <td>{usd(v.costUsd)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>

      <section className="panel" aria-label={ko.ops.health}>
        <h2>{ko.ops.health}</h2>
        <table>
          <tbody>
            <tr>
              <th>{ko.ops.database}</th>
              <td>
                {yes(h.database.ok, ko.ops.ok, ko.ops.down)} {h.database.embedded ? 'embedded' : 'DATABASE_URL'}
              </td>
            </tr>
            <tr>
              <th>{ko.ops.queue}</th>
              <td>{yes(h.queue.ok, ko.ops.ok, ko.ops.down)}</td>
            </tr>
          </tbody>
        </table>
        <h3>{t.backups}</h3>
        {o.backups.length === 0 ? (
          <p className="muted">{t.noBackups}</p>
        ) : (
          <ul>
            {o.backups.map((b) => (
              <li key={b.path}>
                {b.path} <span className="muted">({Math.round(b.bytes / 1024)} KB, {when(b.at, tz)})</span>
              </li>
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}
