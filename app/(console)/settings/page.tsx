import { ko } from '@/app/_i18n/ko';
import { listApiTokens } from '@/src/server/auth/api-tokens';
import { requireOperator } from '@/src/server/auth/current';
import { listOperators } from '@/src/server/auth/operators';
import { getAllSettings, listAuditEvents } from '@/src/server/settings';
import { AuditList, OperatorsPanel, SettingsForms, TokensPanel } from './panels';

export default async function SettingsPage() {
  const me = await requireOperator();
  const [settings, operators, tokens, audit] = await Promise.all([getAllSettings(), listOperators(), listApiTokens(), listAuditEvents(30)]);
  const admin = me.role === 'admin';
  return (
    <div className="stack">
      <h1>{ko.settingsPage.title}</h1>
      <SettingsForms settings={settings} />
      <OperatorsPanel operators={operators} canManage={admin} />
      {admin ? <TokensPanel tokens={tokens} /> : null}
      <AuditList items={audit} />
    </div>
  );
}
