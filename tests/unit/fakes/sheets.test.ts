import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { google, type sheets_v4 } from 'googleapis';
import { startSheetsFake, redirectTokenRequests, type SheetsFake } from '../../fakes/sheets/server';
import { parseA1 } from '../../fakes/sheets/a1';

const SID = '1AbCdEfGhIjKlMnOpQrStUvWxYz0123456789abcdefg';
let fake: SheetsFake;
let sheets: sheets_v4.Sheets;

before(async () => {
  fake = await startSheetsFake({ spreadsheetId: SID });
  const auth = new google.auth.OAuth2();
  auth.setCredentials({ access_token: 'preset-token', expiry_date: Date.now() + 3600_000 });
  sheets = google.sheets({ version: 'v4', auth, rootUrl: fake.url + '/' });
});
after(async () => {
  await fake.close();
});

test('A1 parser handles quoted Korean names, escaped quotes and open ranges', () => {
  const isSheet = (n: string) => n === '결과';
  assert.deepEqual(parseA1("'채널 목록'!A1:F", isSheet), { sheet: '채널 목록', startRow: 0, startCol: 0, endCol: 5, endRow: undefined });
  assert.deepEqual(parseA1("'It''s'!B2", isSheet), { sheet: "It's", startRow: 1, startCol: 1, endRow: 1, endCol: 1 });
  assert.deepEqual(parseA1('결과', isSheet), { sheet: '결과', startRow: 0, startCol: 0 });
  assert.deepEqual(parseA1('Sheet1!AA3:AB', isSheet), { sheet: 'Sheet1', startRow: 2, startCol: 26, endCol: 27, endRow: undefined });
  assert.equal(parseA1("'broken!A1", isSheet), undefined);
});

test('values.get and append on a quoted Korean sheet name', async () => {
  fake.setSheet('채널 목록', [
    ['channelId', 'handle', 'name', 'active'],
    ['UCkFoodVlogKR01234567890', '@kfoodvlog', '한식 브이로그', 'TRUE'],
    ['UCcampGearKR0987654321AB', '@campgear', '캠핑기어 리뷰', 'FALSE'],
  ]);
  const got = await sheets.spreadsheets.values.get({ spreadsheetId: SID, range: "'채널 목록'!A1:F" });
  assert.equal(got.data.range, "'채널 목록'!A1:F1000");
  assert.equal(got.data.majorDimension, 'ROWS');
  assert.equal(got.data.values!.length, 3);
  assert.deepEqual(got.data.values![1], ['UCkFoodVlogKR01234567890', '@kfoodvlog', '한식 브이로그', 'TRUE']);
  const rec = fake.requests.at(-1)!;
  assert.equal(rec.headers.authorization, 'Bearer preset-token');
  assert.match(rec.path, /^\/v4\/spreadsheets\/1AbC[^/]*\/values\//);

  const sub = await sheets.spreadsheets.values.get({ spreadsheetId: SID, range: "'채널 목록'!B2:C3" });
  assert.deepEqual(sub.data.values, [['@kfoodvlog', '한식 브이로그'], ['@campgear', '캠핑기어 리뷰']]);
  const empty = await sheets.spreadsheets.values.get({ spreadsheetId: SID, range: "'채널 목록'!A100:E200" });
  assert.equal(empty.data.values, undefined);

  const app = await sheets.spreadsheets.values.append({
    spreadsheetId: SID,
    range: "'채널 목록'!A1:F",
    valueInputOption: 'RAW',
    insertDataOption: 'INSERT_ROWS',
    requestBody: { values: [['UCtechDealKR1122334455CD', '@techdeal', '테크딜', true, 42]] },
  });
  assert.equal(app.data.tableRange, "'채널 목록'!A1:D3");
  assert.equal(app.data.updates!.updatedRange, "'채널 목록'!A4:E4");
  assert.equal(app.data.updates!.updatedCells, 5);
  assert.deepEqual(fake.getSheet('채널 목록')![3], ['UCtechDealKR1122334455CD', '@techdeal', '테크딜', 'TRUE', '42']);
  assert.deepEqual(fake.requests.at(-1)!.json, { values: [['UCtechDealKR1122334455CD', '@techdeal', '테크딜', true, 42]] });
});

test('update, batchUpdate, spreadsheets.get and addSheet', async () => {
  fake.setSheet('결과', [['a', 'b']]);
  const up = await sheets.spreadsheets.values.update({ spreadsheetId: SID, range: "'결과'!B1", valueInputOption: 'RAW', requestBody: { values: [['B!', 'C']] } });
  assert.equal(up.data.updatedRange, "'결과'!B1:C1");
  const bu = await sheets.spreadsheets.values.batchUpdate({
    spreadsheetId: SID,
    requestBody: { valueInputOption: 'USER_ENTERED', data: [{ range: "'결과'!A2", values: [['x']] }, { range: "'채널 목록'!E1", values: [['lastCheckedAt']] }] },
  });
  assert.equal(bu.data.totalUpdatedCells, 2);
  assert.equal(bu.data.totalUpdatedSheets, 2);
  assert.deepEqual(fake.getSheet('결과'), [['a', 'B!', 'C'], ['x']]);
  assert.equal(fake.getSheet('채널 목록')![0][4], 'lastCheckedAt');

  const add = await sheets.spreadsheets.batchUpdate({ spreadsheetId: SID, requestBody: { requests: [{ addSheet: { properties: { title: '2026-11' } } }] } });
  assert.equal(add.data.replies![0].addSheet!.properties!.title, '2026-11');
  const meta = await sheets.spreadsheets.get({ spreadsheetId: SID });
  assert.deepEqual(meta.data.sheets!.map((s) => s.properties!.title), ['채널 목록', '결과', '2026-11']);
});

test('errors: missing auth → 401, unknown sheet → 400, wrong id → 404, injected 429/403', async () => {
  const noAuth = google.sheets({ version: 'v4', rootUrl: fake.url + '/' });
  await assert.rejects(noAuth.spreadsheets.values.get({ spreadsheetId: SID, range: 'A1' }), (e: any) => e.status === 401 && e.response.data.error.status === 'UNAUTHENTICATED');
  await assert.rejects(sheets.spreadsheets.values.get({ spreadsheetId: SID, range: "'없는시트'!A1:E" }), (e: any) => e.status === 400 && /Unable to parse range/.test(e.response.data.error.message));
  await assert.rejects(sheets.spreadsheets.values.get({ spreadsheetId: 'other', range: "'결과'!A1" }), (e: any) => e.status === 404);
  fake.failNext(429);
  await assert.rejects(sheets.spreadsheets.values.get({ spreadsheetId: SID, range: "'결과'!A1" }, { retry: false }), (e: any) => e.status === 429 && e.response.data.error.status === 'RESOURCE_EXHAUSTED');
  fake.failNext(403);
  await assert.rejects(sheets.spreadsheets.values.append({ spreadsheetId: SID, range: "'결과'!A1", valueInputOption: 'RAW', requestBody: { values: [['z']] } }), (e: any) => e.status === 403);
  assert.deepEqual(fake.getSheet('결과'), [['a', 'B!', 'C'], ['x']], 'failed append wrote nothing');
});

test('service-account JWT client gets a token from the fake /token and calls Sheets', async () => {
  const { privateKey, publicKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
  const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const pub = publicKey.export({ type: 'spki', format: 'pem' }).toString();
  const f2 = await startSheetsFake({ accessToken: 'only-issued-tokens', serviceAccountPublicKey: pub });
  try {
    f2.setSheet('설정', [['k', 'v']]);
    const jwt = new google.auth.JWT({ email: 'sa@test.iam.gserviceaccount.com', key: pem, scopes: ['https://www.googleapis.com/auth/spreadsheets'] });
    redirectTokenRequests(jwt as any, f2.url);
    const s = google.sheets({ version: 'v4', auth: jwt, rootUrl: f2.url + '/' });
    const r = await s.spreadsheets.values.get({ spreadsheetId: 'any', range: '설정!A1:B1' });
    assert.deepEqual(r.data.values, [['k', 'v']]);
    assert.equal(f2.tokenRequests.length, 1);
    assert.equal(f2.tokenRequests[0].claims!.iss, 'sa@test.iam.gserviceaccount.com');
    assert.equal(f2.tokenRequests[0].claims!.scope, 'https://www.googleapis.com/auth/spreadsheets');
    assert.equal(f2.requests.at(-1)!.headers.authorization, 'Bearer ya29.c.fake-access-token-for-tests');

    // a key the fake does not know → invalid_grant
    const other = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const bad = new google.auth.JWT({ email: 'sa@test.iam.gserviceaccount.com', key: other, scopes: ['https://www.googleapis.com/auth/spreadsheets'] });
    redirectTokenRequests(bad as any, f2.url);
    await assert.rejects(bad.getAccessToken(), /invalid_grant/);

    // OAuth2 refresh-token flow via endpoints.oauth2TokenUrl
    const o = new google.auth.OAuth2({ clientId: 'cid', clientSecret: 'cs', endpoints: { oauth2TokenUrl: f2.tokenUrl } } as any);
    o.setCredentials({ refresh_token: 'rt' });
    const t = await o.getAccessToken();
    assert.equal(t.token, 'ya29.c.fake-access-token-for-tests');
  } finally {
    await f2.close();
  }
});
