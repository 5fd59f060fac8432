/**
 * Small inline SVG bar charts (no chart library). Every bar carries its value as text and its full description as a
 * tooltip; `data-key`/`data-value` make the figures readable by tests and scripts.
 */
type Bar = { key: string; label?: string; value: number; title?: string };

const fmt = (v: number) => (v > 0 ? String(Math.round(v * 10) / 10) : '');

/** Vertical bars for a series with short labels (days as MM-DD). */
export function BarChart({ data, label, unit = '' }: { data: Bar[]; label: string; unit?: string }) {
  const max = Math.max(1, ...data.map((d) => d.value));
  const barW = 30;
  const gap = 10;
  const h = 120;
  const width = data.length * (barW + gap) + gap;
  return (
    <svg role="img" aria-label={label} viewBox={`0 0 ${width} ${h + 36}`} width={width} height={h + 36} style={{ maxWidth: '100%', height: 'auto' }}>
      {data.map((d, i) => {
        const bh = Math.round((d.value / max) * h);
        const x = gap + i * (barW + gap);
        return (
          <g key={d.key} data-key={d.key} data-value={d.value}>
            <title>{d.title ?? `${d.label ?? d.key}: ${d.value}${unit}`}</title>
            <rect x={x} y={h - bh + 12} width={barW} height={Math.max(bh, d.value > 0 ? 1 : 0)} fill="#4f7cff" rx={3} />
            <text x={x + barW / 2} y={h - bh + 8} fontSize="10" textAnchor="middle" fill="#333">
              {fmt(d.value)}
            </text>
            <text x={x + barW / 2} y={h + 28} fontSize="10" textAnchor="middle" fill="#666">
              {d.label ?? d.key}
            </text>
          </g>
        );
      })}
    </svg>
  );
}

/**
 * Horizontal bars for named categories (stage names of any length): one row per bar, the name to the left of its
 * bar, the value after it, so labels never overlap.
 */
export function HBarChart({ data, label, unit = '', labelWidth = 130 }: { data: Bar[]; label: string; unit?: string; labelWidth?: number }) {
  const max = Math.max(1, ...data.map((d) => d.value));
  const rowH = 24;
  const barMax = 260;
  const width = labelWidth + barMax + 70;
  const height = data.length * rowH + 8;
  return (
    <svg role="img" aria-label={label} viewBox={`0 0 ${width} ${height}`} width={width} height={height} style={{ maxWidth: '100%', height: 'auto' }}>
      {data.map((d, i) => {
        const y = 4 + i * rowH;
        const bw = Math.max(d.value > 0 ? 2 : 0, Math.round((d.value / max) * barMax));
        return (
          <g key={d.key} data-key={d.key} data-value={d.value}>
            <title>{d.title ?? `${d.label ?? d.key}: ${d.value}${unit}`}</title>
            <text x={labelWidth - 8} y={y + rowH / 2 + 4} fontSize="12" textAnchor="end" fill="#444">
              {d.label ?? d.key}
            </text>
            <rect x={labelWidth} y={y + 4} width={bw} height={rowH - 8} fill="#4f7cff" rx={3} />
            <text x={labelWidth + bw + 6} y={y + rowH / 2 + 4} fontSize="11" fill="#333">
              {fmt(d.value)}
              {d.value > 0 ? unit : ''}
            </text>
          </g>
        );
      })}
    </svg>
  );
}
