/**
 * A dictionary string with `backticked` parts (environment variables, commands, paths) shown as <code>, so that
 * identifiers read as identifiers inside Korean sentences.
 */
export function RichText({ text }: { text: string }) {
  const parts = text.split(/(`[^`]+`)/);
  return (
    <>
      {parts.map((p, i) => (p.length > 2 && p.startsWith('`') && p.endsWith('`') ? <code key={i}>{p.slice(1, -1)}</code> : p))}
    </>
  );
}
