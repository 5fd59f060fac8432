import { ko } from '@/app/_i18n/ko';
import { getHealth } from '@/src/server/health';

export default async function OpsPage() {
  const h = await getHealth();
  const yes = (ok: boolean, a: string, b: string) => <span className={`badge ${ok ? 'ok' : 'fail'}`}>{ok ? a : b}</span>;
  return (
    <>
      <h1>{ko.ops.title}</h1>
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
            {Object.entries(h.integrations).map(([name, i]) => (
              <tr key={name}>
                <th>
                  {ko.ops.integrations}: {name}
                </th>
                <td>
                  {yes(i.configured, ko.ops.configured, ko.ops.notConfigured)} <span className="muted">{i.detail}</span>
                </td>
              </tr>
            ))}
            {h.models.map((m) => (
              <tr key={m.name}>
                <th>
                  {ko.ops.models}: {m.name}
                </th>
                <td>
                  {yes(m.present, ko.ops.present, ko.ops.missing)} <span className="muted">{m.missing.join(', ')}</span>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </>
  );
}
