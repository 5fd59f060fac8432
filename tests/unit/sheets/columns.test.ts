import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mapImportHeader, readImportRow } from '@/src/server/sheets/columns';
import { planKeyedRows } from '@/src/server/sheets/keyed-rows';
import { a1, columnLetter } from '@/src/server/integrations/sheets/client';

test('A1 ranges always quote the sheet name (Korean, spaces, apostrophes doubled)', () => {
  assert.equal(a1('채널목록', 'A1:ZZ'), "'채널목록'!A1:ZZ");
  assert.equal(a1('후보 내보내기', 'A2:C2'), "'후보 내보내기'!A2:C2");
  assert.equal(a1("It's"), "'It''s'");
  assert.deepEqual([0, 25, 26, 27, 51, 52, 701, 702].map(columnLetter), ['A', 'Z', 'AA', 'AB', 'AZ', 'BA', 'ZZ', 'AAA']);
});

test('import header: English, Korean and loosely written names map to fields; unknown columns are ignored', () => {
  assert.deepEqual(mapImportHeader(['channelId', 'handle', 'name', 'active', 'lastCheckedAt']), { channelId: 0, handle: 1, name: 2, status: 3 });
  assert.deepEqual(mapImportHeader(['메모', '채널 ID', '채널명', '유형', '유명인', '별칭', '상태']), {
    channelId: 1,
    name: 2,
    kind: 3,
    celebrity: 4,
    aliases: 5,
    status: 6,
  });
  assert.deepEqual(mapImportHeader(['Channel_URL', 'Celebrity', 'TYPE']), { url: 0, celebrity: 1, kind: 2 });
});

test('import rows: kind, celebrity, status and aliases are read; unusable rows say why', () => {
  const cols = mapImportHeader(['채널 ID', '채널명', '유형', '유명인', '별칭', '상태']);
  assert.deepEqual(readImportRow(['UCkFoodVlogKR01234567890', '아이유 채널', '유명인', '아이유', 'IU, 이지은', 'TRUE'], cols, 2), {
    row: 2,
    input: 'UCkFoodVlogKR01234567890',
    name: '아이유 채널',
    kind: 'celebrity',
    celebrity: '아이유',
    aliases: ['IU', '이지은'],
    status: 'active',
  });
  const media = readImportRow(['UCcampGearKR0987654321AB', '보그 코리아', '', '', '', 'FALSE'], cols, 3);
  assert.equal('skip' in media ? null : media.kind, 'media');
  assert.equal('skip' in media ? null : media.status, 'excluded');
  assert.deepEqual(readImportRow(['', '이름만'], cols, 4), { row: 4, skip: 'no channel id, URL or handle' });
  assert.match((readImportRow(['UCx', 'n', '유명인', ''], cols, 5) as { skip: string }).skip, /celebrity column/);
  assert.match((readImportRow(['UCx', 'n', '방송국?', ''], cols, 6) as { skip: string }).skip, /unknown channel kind/);
  assert.match((readImportRow(['UCx', 'n', '', '', '', '아마도'], cols, 7) as { skip: string }).skip, /unknown status/);
});

test('keyed rows: new keys appended, changed rows rewritten in place, same rows untouched, operator columns kept', () => {
  const header = ['후보 ID', '상태', '제품명'] as const;
  const existing = [
    ['후보 ID', '메모', '상태', '제품명'],
    ['7', '좋음', '승인됨', '토너'],
    ['8', '', '승인됨', '크림'],
  ];
  const { writes, result } = planKeyedRows('후보 내보내기', existing, header, [
    { '후보 ID': '7', 상태: '승인됨', 제품명: '토너' },
    { '후보 ID': '8', 상태: '업로드 완료', 제품명: '크림' },
    { '후보 ID': '9', 상태: '승인됨', 제품명: '선크림' },
  ]);
  assert.deepEqual(result, { sheet: '후보 내보내기', appended: 1, updated: 1, unchanged: 1 });
  assert.deepEqual(writes, [
    { range: "'후보 내보내기'!A3:D3", values: [['8', '', '업로드 완료', '크림']] },
    { range: "'후보 내보내기'!A4:D4", values: [['9', '', '승인됨', '선크림']] },
  ]);

  const empty = planKeyedRows('새 시트', [], header, [{ '후보 ID': 1, 상태: 'a', 제품명: 'b' }]);
  assert.deepEqual(empty.writes, [
    { range: "'새 시트'!A1:C1", values: [['후보 ID', '상태', '제품명']] },
    { range: "'새 시트'!A2:C2", values: [[1, 'a', 'b']] },
  ]);
  // A header missing one of our columns gets it added at the end.
  const partial = planKeyedRows('s', [['후보 ID', '상태'], ['1', 'x']], header, [{ '후보 ID': '1', 상태: 'x', 제품명: 'p' }]);
  assert.deepEqual(partial.writes, [
    { range: "'s'!A1:C1", values: [['후보 ID', '상태', '제품명']] },
    { range: "'s'!A2:C2", values: [['1', 'x', 'p']] },
  ]);
});
