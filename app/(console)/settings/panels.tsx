'use client';

import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { ko } from '@/app/_i18n/ko';
import { api, type ApiInit } from '@/app/_lib/api';

const t = ko.settingsPage;

/** The settings panels' calls: the console's API helper with the method and body as arguments. */
function call(path: string, method: NonNullable<ApiInit['method']>, body?: unknown): Promise<any> {
  return api(path, { method, body });
}

function useAction() {
  const router = useRouter();
  const [state, setState] = useState<{ busy?: boolean; error?: string; message?: string }>({});
  const run = async (fn: () => Promise<string | void>) => {
    setState({ busy: true });
    try {
      const message = await fn();
      setState({ message: message || undefined });
      router.refresh();
    } catch (e) {
      setState({ error: (e as Error).message });
    }
  };
  const status = (
    <>
      {state.message ? <span className="muted" role="status">{state.message}</span> : null}
      {state.error ? <span className="error-text" role="alert">{state.error}</span> : null}
    </>
  );
  return { run, busy: !!state.busy, status };
}

type Values = Record<string, Record<string, string | number | null>>;

function SettingForm({ name, value }: { name: string; value: Record<string, string | number | null> }) {
  const { run, busy, status } = useAction();
  return (
    <form
      aria-label={t.sections[name] ?? name}
      onSubmit={(e) => {
        e.preventDefault();
        const data = new FormData(e.currentTarget);
        const patch: Record<string, unknown> = {};
        for (const [k, v] of Object.entries(value)) {
          const raw = String(data.get(k) ?? '').trim();
          patch[k] = typeof v === 'string' ? raw : raw === '' ? null : Number(raw);
        }
        void run(async () => {
          await call(`/api/v1/settings/${name}`, 'PATCH', patch);
          return t.saved;
        });
      }}
    >
      <h3>{t.sections[name] ?? name}</h3>
      {Object.entries(value).map(([k, v]) => (
        <label key={k} style={{ display: 'block', margin: '4px 0' }}>
          {t.fields[k] ?? k}{' '}
          <input name={k} defaultValue={v === null ? '' : String(v)} inputMode={typeof v === 'string' ? 'text' : 'decimal'} />
        </label>
      ))}
      <button type="submit" className="primary" disabled={busy}>
        {t.save}
      </button>{' '}
      {status}
    </form>
  );
}

export function SettingsForms({ settings }: { settings: unknown }) {
  const values = settings as Values;
  return (
    <section className="panel stack">
      {Object.entries(values).map(([name, value]) => (
        <SettingForm key={name} name={name} value={value} />
      ))}
    </section>
  );
}

type Operator = { id: string; email: string; name: string; role: string; disabled: boolean; lastLoginAt: string | null };

export function OperatorsPanel({ operators, canManage }: { operators: Operator[]; canManage: boolean }) {
  const { run, busy, status } = useAction();
  const [secret, setSecret] = useState<string | null>(null);
  return (
    <section className="panel" aria-label={t.operators}>
      <h2>{t.operators}</h2>
      <table>
        <thead>
          <tr>
            <th>{t.email}</th>
            <th>{t.name}</th>
            <th>{t.role}</th>
            <th>{t.status}</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {operators.map((o) => (
            <tr key={o.id} data-operator={o.email}>
              <td>{o.email}</td>
              <td>{o.name}</td>
              <td>{t.roles[o.role] ?? o.role}</td>
              <td>{o.disabled ? <span className="badge fail">{t.disabledLabel}</span> : <span className="badge ok">{t.enabled}</span>}</td>
              <td>
                {canManage ? (
                  <>
                    <button type="button" disabled={busy} onClick={() => run(async () => void (await call(`/api/v1/operators/${o.id}`, 'PATCH', { disabled: !o.disabled })))}>
                      {o.disabled ? t.enable : t.disable}
                    </button>{' '}
                    <button
                      type="button"
                      disabled={busy}
                      onClick={() =>
                        run(async () => {
                          const r = await call(`/api/v1/operators/${o.id}/reset-password`, 'POST');
                          setSecret(`${o.email}: ${r.password}`);
                        })
                      }
                    >
                      {t.resetPassword}
                    </button>
                  </>
                ) : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {secret ? (
        <p className="notice" role="status">
          {t.newPassword}: <code>{secret}</code>
        </p>
      ) : null}
      {canManage ? (
        <form
          aria-label={t.addOperator}
          onSubmit={(e) => {
            e.preventDefault();
            const form = e.currentTarget;
            const data = new FormData(form);
            void run(async () => {
              const r = await call('/api/v1/operators', 'POST', { email: data.get('email'), name: data.get('name'), role: data.get('role') });
              if (r.password) setSecret(`${r.operator.email}: ${r.password}`);
              form.reset();
            });
          }}
        >
          <h3>{t.addOperator}</h3>
          <label>
            {t.email} <input name="email" type="email" required />
          </label>{' '}
          <label>
            {t.name} <input name="name" />
          </label>{' '}
          <label>
            {t.role}{' '}
            <select name="role" defaultValue="operator">
              <option value="operator">{t.roles.operator}</option>
              <option value="admin">{t.roles.admin}</option>
            </select>
          </label>{' '}
          <button type="submit" className="primary" disabled={busy}>
            {t.addOperator}
          </button>
        </form>
      ) : null}
      {status}
    </section>
  );
}

type Token = { id: string; name: string; prefix: string; scope: string; createdAt: string; lastUsedAt: string | null; revokedAt: string | null };

export function TokensPanel({ tokens }: { tokens: Token[] }) {
  const { run, busy, status } = useAction();
  const [created, setCreated] = useState<string | null>(null);
  return (
    <section className="panel" aria-label={t.tokens}>
      <h2>{t.tokens}</h2>
      <p className="muted">
        {t.envToken} {t.tokenRoleHelp}
      </p>
      {created ? (
        <p className="notice" role="status">
          {t.tokenOnce} <code data-testid="new-token">{created}</code>
        </p>
      ) : null}
      <table>
        <tbody>
          {tokens.map((k) => (
            <tr key={k.id} data-token={k.name}>
              <td>{k.name}</td>
              <td>
                <code>{k.prefix}…</code>
              </td>
              <td data-scope={k.scope}>{t.scopes[k.scope] ?? k.scope}</td>
              <td className="muted">
                {t.lastUsed}: {k.lastUsedAt ? new Date(k.lastUsedAt).toLocaleString('ko-KR') : '—'}
              </td>
              <td>
                {k.revokedAt ? (
                  <span className="badge fail">{t.revoked}</span>
                ) : (
                  <button type="button" disabled={busy} onClick={() => run(async () => void (await call(`/api/v1/tokens/${k.id}`, 'DELETE')))}>
                    {t.revoke}
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <form
        aria-label={t.createToken}
        onSubmit={(e) => {
          e.preventDefault();
          const form = e.currentTarget;
          const data = new FormData(form);
          const name = String(data.get('name') ?? '');
          const scope = String(data.get('scope') ?? 'read');
          void run(async () => {
            const r = await call('/api/v1/tokens', 'POST', { name, scope });
            setCreated(r.token);
            form.reset();
          });
        }}
      >
        <label>
          {t.tokenName} <input name="name" required />
        </label>{' '}
        <label>
          {t.scope}{' '}
          <select name="scope" defaultValue="read">
            {['read', 'review', 'admin'].map((s) => (
              <option key={s} value={s}>
                {t.scopes[s]}
              </option>
            ))}
          </select>
        </label>{' '}
        <button type="submit" className="primary" disabled={busy}>
          {t.createToken}
        </button>{' '}
        {status}
      </form>
    </section>
  );
}

type Audit = { id: string; at: string; actor: string; action: string; target: string | null };

export function AuditList({ items }: { items: Audit[] }) {
  return (
    <section className="panel" aria-label={t.audit}>
      <h2>{t.audit}</h2>
      <table>
        <thead>
          <tr>
            <th>{t.at}</th>
            <th>{t.actor}</th>
            <th>{t.action}</th>
            <th>{t.target}</th>
          </tr>
        </thead>
        <tbody>
          {items.map((a) => (
            <tr key={a.id}>
              <td>{new Date(a.at).toLocaleString('ko-KR')}</td>
              <td>{a.actor}</td>
              <td>{a.action}</td>
              <td>{a.target}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
