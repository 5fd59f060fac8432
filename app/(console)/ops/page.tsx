import type { Metadata } from 'next';
import { requireOperator } from '@/src/server/auth/current';
import Link from 'next/link';
import { ko } from '@/app/_i18n/ko';
import { RichText } from '@/app/_components/rich-text';
import { Time } from '@/app/_components/time';
import { VideoError } from '@/app/_components/video-error';
import { getHealth } from '@/src/server/ops/health';
import { getOpsOverview, type IntegrationRow } from '@/src/server/ops/dashboard';
import { PostButton, RefreshWhile, RetryJobButton } from './actions';
import { BarChart, HBarChart } from './charts';
import { modelName, modelStateText } from './model-state';

export const metadata: Metadata = { title: ko.pageTitles.ops };

const usd = (n: number) => `$${n.toFixed(n < 1 ? 4 : 2)}`;
const when = (iso: string | null) => <Time value={iso} />;
/** A queue as the operator knows it, with its identifier (for the logs) beside it. */
const QueueName = ({ name }: { name: string }) => (
  <>
    {ko.operations.queueNames[name] ?? name} <code className="muted">{name}</code>
  </>
);

function IntegrationState({ i }: { i: IntegrationRow }) {
  const t = ko.operations;
  return (
    <>
      {i.slackDisabled ? (
        <div className="error-text">
          {t.slackGone(i.slackDisabled.status)} <Time value={i.slackDisabled.at} />)
        </div>
      ) : i.unhealthyReason ? (
        <div className="error-text">{t.unhealthyReasons[i.unhealthyReason]}</div>
      ) : null}
      {i.model ? (
        <div className="muted">
          {t.model}: <code>{i.model}</code>
        </div>
      ) : i.name === 'gemini' && !i.configured ? (
        <div className="muted">{t.ruleBased}</div>
      ) : null}
      <div className="muted" data-recent-calls={i.recent.calls} data-recent-errors={i.recent.errors}>
        {i.recent.calls ? t.recentCalls(i.recent.calls, i.recent.errors) : t.noRecentCalls}
        {i.recent.lastErrorAt ? (
          <>
            {' '}
            · {t.lastError} <Time value={i.recent.lastErrorAt} />
          </>
        ) : null}
      </div>
    </>
  );
}

export default async function OpsPage() {
  // The layout's check runs beside this page, not before it: check here too, before any data is read (a forged
  // cookie got a redirect whose body carried this page's data).
  await requireOperator();
  const h = await getHealth();
  const o = await getOpsOverview();
  const t = ko.operations;
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
            <strong>{t.budgetPaused}</strong>:{' '}
            {o.budget.limit === 'monthly'
              ? t.budgetReason.monthly(o.budget.month, usd(o.budget.monthlySpendUsd), usd(o.budget.monthlyLimitUsd ?? 0))
              : t.budgetReason.daily(o.budget.day, usd(o.budget.dailySpendUsd), usd(o.budget.dailyLimitUsd ?? 0))}{' '}
            — {t.resumesAt}: {when(o.budget.resumesAt)}
            <br />
            <span className="muted">
              {o.budget.llmQueues.map((q, n) => (
                <span key={q}>
                  {n ? ', ' : ''}
                  {t.queueNames[q] ?? q}
                </span>
              ))}
            </span>
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
              <th>{ko.models.state}</th>
            </tr>
          </thead>
          <tbody>
            {o.integrations.map((i) => (
              <tr key={i.name} data-integration={i.name} data-healthy={i.configured ? String(i.healthy) : 'unconfigured'}>
                <th>{t.integrationNames[i.name] ?? i.name}</th>
                <td>{yes(i.configured, ko.ops.configured, ko.ops.notConfigured)}</td>
                <td>{i.configured ? yes(i.healthy, t.healthy, t.unhealthy) : '—'}</td>
                <td>
                  <span className="nowrap">{i.breaker ? t.breakerStates[i.breaker.state] : '—'}</span>
                  {i.breaker?.retryAt ? <span className="muted"> ({when(i.breaker.retryAt)})</span> : null}
                  {i.breaker?.lastFailure && i.breaker.state !== 'closed' ? (
                    <details className="tech">
                      <summary>{ko.videoErrors.detail}</summary>
                      <pre>{i.breaker.lastFailure}</pre>
                    </details>
                  ) : null}
                </td>
                <td>
                  <IntegrationState i={i} />
                  {i.name === 'slack' && slack?.configured && slack.slackDisabled ? (
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
        <p className="muted">
          <RichText text={ko.models.intro} />
        </p>
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
                    <span className={`model-state ${s.tone}`}>
                      <RichText text={s.text} />
                    </span>
                    {m.state === 'downloading' && m.progress?.percent != null ? (
                      <progress max={100} value={m.progress.percent} aria-label={s.text} style={{ marginLeft: 8 }} />
                    ) : null}
                    {s.detail ? (
                      <div className={s.tone === 'fail' ? 'error-text' : 'muted'}>
                        <RichText text={s.detail} />
                      </div>
                    ) : null}
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
                  <QueueName name={q.name} /> {q.usesLlm ? <span className="badge">{t.llm}</span> : null}{' '}
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

      <section className="panel" aria-label={t.failedVideos}>
        <h2>
          {t.failedVideos} {o.failedVideos.total ? <span className="badge fail">{o.failedVideos.total}</span> : null}
        </h2>
        {o.failedVideos.total === 0 ? (
          <p className="muted">{t.noFailedVideos}</p>
        ) : (
          <>
            <div className="table-scroll">
              <table>
                <thead>
                  <tr>
                    <th>{t.video}</th>
                    <th>{t.error}</th>
                    <th>{t.failedAt}</th>
                    <th />
                  </tr>
                </thead>
                <tbody>
                  {o.failedVideos.items.map((v) => (
                    <tr key={v.id} data-failed-video={v.id}>
                      <td>
                        <Link href={`/videos/${v.id}`}>{v.title || v.youtubeId || `#${v.id}`}</Link>{' '}
                        {v.isDemo ? <span className="badge demo">{ko.common.demo}</span> : null}
                      </td>
                      <td>
                        <VideoError code={v.errorCode} message={v.errorMessage} stage={v.failedStage} />
                      </td>
                      <td>{when(v.failedAt)}</td>
                      <td>
                        <PostButton path={`/api/v1/videos/${v.id}/retry`} label={ko.videos.retry} done={ko.videos.retried} />
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <p>
              <Link href="/videos?stage=failed">{t.failedVideosAll(o.failedVideos.total)}</Link>
            </p>
          </>
        )}
      </section>

      <section className="panel" aria-label={t.failedJobs}>
        <h2>{t.failedJobs}</h2>
        <p className="muted">{t.failedJobsHint}</p>
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
                    <QueueName name={j.queue} />
                    <div>
                      <code className="muted">{JSON.stringify(j.data)}</code>
                    </div>
                  </td>
                  <td>
                    <div className="error-text">{t.retriesUsed(j.retryCount)}</div>
                    <details className="tech">
                      <summary>{ko.videoErrors.detail}</summary>
                      <pre>{j.error}</pre>
                    </details>
                  </td>
                  <td>{when(j.failedAt)}</td>
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
        <p className="muted">{t.throughputNote}</p>
        <BarChart
          label={t.throughput}
          data={o.throughput.map((d) => ({ key: d.day, label: d.day.slice(5), value: d.done, title: t.throughputTitle(d.day, d.created, d.done, d.failed, d.candidates) }))}
        />
        <h3>{t.stageTimings}</h3>
        {o.stageTimings.length === 0 ? (
          <p className="muted">{t.noTimings}</p>
        ) : (
          <>
            <HBarChart
              label={t.stageTimings}
              unit={ko.review.seconds}
              data={o.stageTimings.map((s) => ({
                key: s.stage,
                label: ko.stages[s.stage] ?? s.stage,
                value: s.p50Seconds,
                title: t.stageTitle(ko.stages[s.stage] ?? s.stage, s.p50Seconds.toFixed(1), s.p90Seconds.toFixed(1), s.count),
              }))}
            />
            <table>
              <tbody>
                {o.stageTimings.map((s) => (
                  <tr key={s.stage}>
                    <th>{ko.stages[s.stage] ?? s.stage}</th>
                    <td>
                      {s.p50Seconds.toFixed(1)} / {s.p90Seconds.toFixed(1)} <span className="muted">({t.samples(s.count)})</span>
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
                  <td className="nowrap">{u.day}</td>
                  <td className="nowrap">{t.providers[u.provider] ?? u.provider}</td>
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
            <thead>
              <tr>
                <th>{t.video}</th>
                <th>{t.calls}</th>
                <th>{t.tokens}</th>
                <th>{t.cost}</th>
              </tr>
            </thead>
            <tbody>
              {o.usageByVideo.map((v) => (
                <tr key={v.videoId}>
                  <td>
                    <Link href={`/videos/${v.videoId}`}>{v.title || `#${v.videoId}`}</Link>
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
                {yes(h.database.ok, ko.ops.ok, ko.ops.down)} <RichText text={h.database.embedded ? t.databaseEmbedded : t.databaseExternal} />
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
          <p className="muted">
            <RichText text={t.noBackups} />
          </p>
        ) : (
          <ul>
            {o.backups.map((b) => (
              <li key={b.path}>
                <code>{b.path}</code> <span className="muted">({Math.round(b.bytes / 1024)} KB, {when(b.at)})</span>
              </li>
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}
