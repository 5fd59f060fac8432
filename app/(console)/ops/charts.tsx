/** Small inline SVG bar charts (no chart library): values are drawn as bars with their labels as text. */
export function BarChart({ data, label, unit = '' }: { data: { key: string; value: number; title?: string }[]; label: string; unit?: string }) {
  const max = Math.max(1, ...data.map((d) => d.value));
  const barW = 28;
  const gap = 8;
  const h = 120;
  const width = data.length * (barW + gap) + gap;
  return (
    <svg role="img" aria-label={label} width={width} height={h + 36} style={{ maxWidth: '100%' }}>
      {data.map((d, i) => {
        const bh = Math.round((d.value / max) * h);
        const x = gap + i * (barW + gap);
        return (
          <g key={d.key}>
            <title>{`${d.title ?? d.key}: ${d.value}${unit}`}</title>
            <rect x={x} y={h - bh + 12} width={barW} height={Math.max(bh, d.value > 0 ? 1 : 0)} fill="#4f7cff" rx={3} />
            <text x={x + barW / 2} y={h - bh + 8} fontSize="10" textAnchor="middle" fill="#333">
              {d.value > 0 ? Math.round(d.value * 10) / 10 : ''}
            </text>
            <text x={x + barW / 2} y={h + 28} fontSize="9" textAnchor="middle" fill="#666">
              {d.key}
            </text>
          </g>
        );
      })}
    </svg>
  );
}
