import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatGoldenReport } from '@/src/server/golden/report';

test('the golden report names precision and the kept-as-model rate of each field', () => {
  const out = formatGoldenReport({
    reviewed: 10,
    accepted: 8,
    rejected: 2,
    precision: 0.8,
    fields: [
      { field: 'product_name', accepted: 8, matched: 6, rate: 0.75 },
      { field: 'category_path', accepted: 8, matched: 8, rate: 1 },
      { field: 'clip', accepted: 8, matched: 7, rate: 0.875 },
    ],
    clipMeanIou: 0.95,
  });
  assert.match(out, /precision .*80\.0%/);
  assert.match(out, /product_name\s+8\s+6\s+75\.0%/);
  assert.match(out, /clip\s+8\s+7\s+87\.5%/);
  assert.match(out, /IoU .*0\.950/);
  const empty = formatGoldenReport({ reviewed: 0, accepted: 0, rejected: 0, precision: null, fields: [], clipMeanIou: null });
  assert.match(empty, /No reviewed candidates yet/);
});
