import assert from 'node:assert/strict';
import { test } from 'node:test';
import { chunkTranscript, formatSegments, llmWindowsSchema, mergeWindows } from '@/src/server/analysis/llm-windows';
import { llmCandidateSchema } from '@/src/server/analysis/llm-synthesis';

test('long transcripts are chunked with overlap; a short one is one chunk', () => {
  const segs = Array.from({ length: 120 }, (_, i) => ({ start: i * 10, end: i * 10 + 8, text: `문장 ${i}` }));
  const chunks = chunkTranscript(segs, 480, 60);
  assert.ok(chunks.length >= 3);
  for (let i = 1; i < chunks.length; i++) assert.equal(chunks[i].start, chunks[i - 1].start + 420, 'chunks overlap by 60 s');
  assert.ok(chunks.at(-1)!.end >= 1198);
  assert.equal(chunkTranscript(segs.slice(0, 3)).length, 1);
  assert.deepEqual(chunkTranscript([]), []);
  assert.equal(formatSegments([{ start: 1, end: 2.5, text: '안녕' }]), '[1.0-2.5] 안녕');
});

test('windows found twice in overlapping chunks merge into one, keeping the stronger reason', () => {
  const w = (start: number, end: number, confidence: number, reason: string) => ({ start, end, confidence, reason, signals: ['llm'], method: 'llm' as const });
  const merged = mergeWindows([w(430, 470, 0.6, 'a'), w(440, 480, 0.9, 'b'), w(600, 620, 0.5, 'c')]);
  assert.equal(merged.length, 2);
  assert.deepEqual([merged[0].start, merged[0].end, merged[0].confidence, merged[0].reason], [430, 480, 0.9, 'b']);
});

test('LLM output schemas reject malformed answers', () => {
  assert.equal(llmWindowsSchema.safeParse({ windows: [{ start: 1, end: 5, reason: 'x', confidence: 1.5 }] }).success, false);
  assert.equal(llmWindowsSchema.safeParse({ windows: [] }).success, true);
  assert.equal(llmCandidateSchema.safeParse({ is_product_recommendation: true, product_name: 'x' }).success, false);
});
