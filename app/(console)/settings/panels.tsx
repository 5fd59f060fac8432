'use client';

import { useRouter } from 'next/navigation';
import { useState, type ReactNode } from 'react';
import { ko } from '@/app/_i18n/ko';
import { api, errorTextOf, type ApiInit } from '@/app/_lib/api';
import { RichText } from '@/app/_components/rich-text';
import { Time } from '@/app/_components/time';

const t = ko.settingsPage;

/** The settings panels' calls: the console's API helper with the method and body as arguments. */
function call(path: string, method: NonNullable<ApiInit['method']>, body?: unknown): Promise<any> {
  return api(path, { method, body });
}

/** Runs an action, then refreshes the page; its outcome is shown as Korean text (errors: what to do next). */
function useAction() {
  const router = useRouter();
  const [state, setState] = useState<{ busy?: boolean; error?: string; message?: string }>({});
  const run = async (fn: () => Promise<string | void>, opts: { refresh?: boolean } = {}) => {
    setState({ busy: true });
    try {
      const message = await fn();
      setState({ message: message || undefined });
      if (opts.refresh !== false) router.refresh();
      return true;
    } catch (e) {
      setState({ error: errorTextOf(e) });
      return false;
    }
  };
  const status = (
    <>
      {state.message ? (
        <span className="notice" role="status">
          {state.message}
        </span>
      ) : null}
      {state.error ? (
        <span className="notice error" role="alert">
          {state.error}
        </span>
      ) : null}
    </>
  );
  return { run, busy: !!state.busy, status };
}

/** A question asked before resetting another operator's password: the reset runs only after the operator confirms. */
function Confirm({ text, confirmLabel, onConfirm, onCancel, busy }: { text: string; confirmLabel: string; onConfirm: () => void; onCancel: () => void; busy: boolean }) {
  return (
    <div role="alertdialog" aria-label={text} className="confirm">
      <p>{text}</p>
      <div className="button-row">
        <button type="button" className="danger" disabled={busy} onClick={onConfirm}>
          {confirmLabel}
        </button>
        <button type="button" disabled={busy} onClick={onCancel} autoFocus>
          {t.cancel}
        </button>
      </div>
    </div>
  );
}

type Values = Record<string, Record<string, string | number | null>>;

function SettingForm({ name, value }: { name: string; value: Record<string, string | number | null> }) {
  const { run, busy, status } = useAction();
  return (
    <form
      aria-label={t.sections[name] ?? name}
      className="settings-form"
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
      <div className="field-grid">
        {Object.entries(value).map(([k, v]) => (
          <label key={k}>
            {t.fields[k] ?? k}
            <input name={k} defaultValue={v === null ? '' : String(v)} inputMode={typeof v === 'string' ? 'text' : 'decimal'} />
          </label>
        ))}
      </div>
      <div className="button-row">
        <button type="submit" className="primary" disabled={busy}>
          {t.save}
        </button>
        {status}
      </div>
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

/**
 * 내 비밀번호 변경: the current password, then the new one twice. The session stays signed in; the operator's other
 * sessions end (POST /api/v1/me/password).
 */
export function ChangePasswordForm({ onDone }: { onDone?: () => void }) {
  const { run, busy, status } = useAction();
  const [problem, setProblem] = useState<string | null>(null);
  return (
    <form
      id="my-password"
      aria-label={t.changePassword}
      className="stack settings-form"
      onSubmit={(e) => {
        e.preventDefault();
        const form = e.currentTarget;
        const data = new FormData(form);
        const currentPassword = String(data.get('currentPassword') ?? '');
        const newPassword = String(data.get('newPassword') ?? '');
        if (newPassword.length < 8) return setProblem(t.passwordTooShort);
        if (newPassword !== String(data.get('confirmPassword') ?? '')) return setProblem(t.passwordMismatch);
        setProblem(null);
        void run(async () => {
          await call('/api/v1/me/password', 'POST', { currentPassword, newPassword });
          form.reset();
          onDone?.();
          return t.passwordChanged;
        });
      }}
    >
      <h3>{t.changePassword}</h3>
      <p className="muted">{t.changePasswordIntro}</p>
      <label>
        {t.currentPassword}
        <input name="currentPassword" type="password" autoComplete="current-password" required />
      </label>
      <label>
        {t.newPasswordField}
        <input name="newPassword" type="password" autoComplete="new-password" minLength={8} required />
      </label>
      <label>
        {t.confirmPassword}
        <input name="confirmPassword" type="password" autoComplete="new-password" minLength={8} required />
      </label>
      <div className="button-row">
        <button type="submit" className="primary" disabled={busy}>
          {t.changePasswordSubmit}
        </button>
        {problem ? (
          <span className="notice error" role="alert">
            {problem}
          </span>
        ) : (
          status
        )}
      </div>
    </form>
  );
}

type Operator = { id: string; email: string; name: string; role: string; disabled: boolean; lastLoginAt: string | null };
type Pending = { kind: 'reset'; operator: Operator } | null;

export function OperatorsPanel({ operators, canManage, meId }: { operators: Operator[]; canManage: boolean; meId: string }) {
  const { run, busy, status } = useAction();
  const [secret, setSecret] = useState<string | null>(null);
  const [pending, setPending] = useState<Pending>(null);
  const [changing, setChanging] = useState(false);

  const confirmPending = () => {
    if (!pending) return;
    const o = pending.operator;
    void run(async () => {
      const r = await call(`/api/v1/operators/${o.id}/reset-password`, 'POST');
      setSecret(`${o.email}: ${r.password}`);
    }).then(() => setPending(null));
  };

  const actionsOf = (o: Operator): ReactNode => {
    if (o.id === meId) {
      // One's own row: a proper change of one's own password, never a reset that signs oneself out.
      return (
        <button type="button" onClick={() => setChanging((c) => !c)} aria-expanded={changing} aria-controls="my-password">
          {t.changePassword}
        </button>
      );
    }
    if (!canManage) return null;
    return (
      <>
        <button type="button" disabled={busy} onClick={() => run(async () => void (await call(`/api/v1/operators/${o.id}`, 'PATCH', { disabled: !o.disabled })))}>
          {o.disabled ? t.enable : t.disable}
        </button>
        <button type="button" disabled={busy} onClick={() => setPending({ kind: 'reset', operator: o })}>
          {t.resetPassword}
        </button>
      </>
    );
  };

  return (
    <section className="panel" aria-label={t.operators}>
      <h2>{t.operators}</h2>
      <div className="table-scroll">
        <table>
          <thead>
            <tr>
              <th>{t.email}</th>
              <th>{t.name}</th>
              <th>{t.role}</th>
              <th>{t.status}</th>
              <th>{t.lastLogin}</th>
              <th>{t.actions}</th>
            </tr>
          </thead>
          <tbody>
            {operators.map((o) => (
              <tr key={o.id} data-operator={o.email}>
                <td>
                  {o.email} {o.id === meId ? <span className="badge">{t.me}</span> : null}
                </td>
                <td>{o.name}</td>
                <td className="nowrap">{t.roles[o.role] ?? o.role}</td>
                <td>{o.disabled ? <span className="badge fail">{t.disabledLabel}</span> : <span className="badge ok">{t.enabled}</span>}</td>
                <td>
                  <Time value={o.lastLoginAt} />
                </td>
                <td>
                  <div className="button-row">{actionsOf(o)}</div>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {pending ? (
        <Confirm
          text={t.confirmReset(pending.operator.email)}
          confirmLabel={t.resetPassword}
          busy={busy}
          onConfirm={confirmPending}
          onCancel={() => setPending(null)}
        />
      ) : null}
      {secret ? (
        <p className="notice" role="status">
          {t.newPassword}: <code>{secret}</code>
        </p>
      ) : null}
      {changing ? <ChangePasswordForm /> : null}
      {canManage ? (
        <form
          aria-label={t.addOperator}
          className="settings-form"
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
          <div className="field-grid">
            <label>
              {t.email} <input name="email" type="email" required />
            </label>
            <label>
              {t.name} <input name="name" />
            </label>
            <label>
              {t.role}
              <select name="role" defaultValue="operator">
                <option value="operator">{t.roles.operator}</option>
                <option value="admin">{t.roles.admin}</option>
              </select>
            </label>
          </div>
          <div className="button-row">
            <button type="submit" className="primary" disabled={busy}>
              {t.addOperator}
            </button>
          </div>
        </form>
      ) : null}
      <div className="button-row">{status}</div>
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
        <RichText text={t.envToken} /> {t.tokenRoleHelp}
      </p>
      {created ? (
        <p className="notice" role="status">
          {t.tokenOnce} <code data-testid="new-token">{created}</code>
        </p>
      ) : null}
      <div className="table-scroll">
        <table>
          <tbody>
            {tokens.map((k) => (
              <tr key={k.id} data-token={k.name}>
                <td>{k.name}</td>
                <td>
                  <code>{k.prefix}…</code>
                </td>
                <td data-scope={k.scope} className="nowrap">
                  {t.scopes[k.scope] ?? k.scope}
                </td>
                <td className="muted">
                  {t.lastUsed}: <Time value={k.lastUsedAt} />
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
      </div>
      <form
        aria-label={t.createToken}
        className="settings-form"
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
        <div className="field-grid">
          <label>
            {t.tokenName} <input name="name" required />
          </label>
          <label>
            {t.scope}
            <select name="scope" defaultValue="read">
              {['read', 'review', 'admin'].map((s) => (
                <option key={s} value={s}>
                  {t.scopes[s]}
                </option>
              ))}
            </select>
          </label>
        </div>
        <div className="button-row">
          <button type="submit" className="primary" disabled={busy}>
            {t.createToken}
          </button>
          {status}
        </div>
      </form>
    </section>
  );
}

type Audit = { id: string; at: string; actor: string; action: string; target: string | null; detail?: unknown };

/** Who changed what and when; the action's identifier stays beside its Korean name (for searching the logs). */
export function AuditList({ items }: { items: Audit[] }) {
  const targetOf = (a: Audit) => {
    const email = (a.detail as { email?: unknown } | null | undefined)?.email;
    return typeof email === 'string' ? email : a.target ? <code>{a.target}</code> : null;
  };
  return (
    <section className="panel" aria-label={t.audit}>
      <h2>{t.audit}</h2>
      <div className="table-scroll">
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
                <td>
                  <Time value={a.at} />
                </td>
                <td>{a.actor.startsWith('token:') ? <code>{a.actor}</code> : a.actor}</td>
                <td>
                  {t.auditActions[a.action] ?? a.action} <code className="muted">{a.action}</code>
                </td>
                <td>{targetOf(a)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
