import type { Metadata } from 'next';
import { ko } from '@/app/_i18n/ko';
import { listApiTokens } from '@/src/server/auth/api-tokens';
import { requireOperator } from '@/src/server/auth/current';
import { listOperators } from '@/src/server/auth/operators';
import { getAllSettings, listAuditEvents } from '@/src/server/settings';
import { AuditList, OperatorsPanel, SettingsForms, TokensPanel } from './panels';

export const metadata: Metadata = { title: ko.pageTitles.settings };

export default async function SettingsPage() {
  const me = await requireOperator();
  const [settings, operators, tokens, audit] = await Promise.all([getAllSettings(), listOperators(), listApiTokens(), listAuditEvents(30)]);
  const admin = me.role === 'admin';
  return (
    <div className="stack">
      <h1>{ko.settingsPage.title}</h1>
      <SettingsForms settings={settings} />
      <OperatorsPanel operators={admin ? operators : operators.filter((o) => o.id === String(me.id))} canManage={admin} meId={String(me.id)} />
      {admin ? <TokensPanel tokens={tokens} /> : null}
      <AuditList items={audit} />
    </div>
  );
}
