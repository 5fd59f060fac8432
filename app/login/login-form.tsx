'use client';

import { useActionState } from 'react';
import { ko } from '@/app/_i18n/ko';
import { loginAction, type LoginState } from './actions';

export function LoginForm({ next }: { next?: string }) {
  const [state, action, pending] = useActionState<LoginState, FormData>(loginAction, {});
  return (
    <form action={action} className="stack">
      <label>
        {ko.auth.email}
        <input name="email" type="email" autoComplete="username" required autoFocus />
      </label>
      <label>
        {ko.auth.password}
        <input name="password" type="password" autoComplete="current-password" required />
      </label>
      {next ? <input type="hidden" name="next" value={next} /> : null}
      {state.error ? (
        <p role="alert" className="notice error">
          {state.error}
        </p>
      ) : null}
      <button className="primary" type="submit" disabled={pending}>
        {ko.auth.submit}
      </button>
    </form>
  );
}
