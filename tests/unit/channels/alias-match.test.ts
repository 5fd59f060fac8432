import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import {
  createAliasMatcher,
  findCelebrityMentions,
  mentionsCelebrity,
  type AliasCelebrity,
} from '@/src/server/channels/alias-match';

const sharedDir = process.env.SHARED_DIR ?? path.resolve(process.cwd(), '../shared');

function loadCelebrities(): AliasCelebrity[] {
  const file = path.join(sharedDir, 'reference/celebrities.example.json');
  const json = JSON.parse(fs.readFileSync(file, 'utf8')) as {
    celebrities: { name: string; aliases: string[] }[];
  };
  return json.celebrities.map((c) => ({ id: c.name, name: c.name, aliases: c.aliases }));
}

const celebrities = loadCelebrities();
const ids = (text: string) => [...new Set(findCelebrityMentions(text, celebrities).map((m) => m.celebrityId))];

test('the example registry is loaded', () => {
  assert.ok(celebrities.length >= 15);
  assert.ok(celebrities.some((c) => c.aliases.includes('진')));
});

test('an alias followed by a particle matches', () => {
  assert.deepEqual(ids('아이유의 가방 공개'), ['아이유']);
  assert.deepEqual(ids('IU가 쓰는 립밤'), ['아이유']);
  assert.deepEqual(ids('진이랑 같이 간 맛집'), ['진']);
  assert.deepEqual(ids('오늘은 제니님께서 추천한 향수'), ['제니']);
  assert.deepEqual(ids('지민에게도 선물했어요'), ['지민']);
  assert.deepEqual(ids('리사처럼 입기'), ['리사']);
});

test('an alias standing alone matches, with punctuation or brackets around it', () => {
  assert.deepEqual(ids('[진] 요리 브이로그'), ['진']);
  assert.deepEqual(ids('BTS V, 파리 패션위크'), ['뷔']);
  assert.deepEqual(ids('#뷔 #태형'), ['뷔']);
  assert.deepEqual(ids('RM'), ['RM']);
});

test('one-syllable and Latin aliases do not fire inside ordinary words', () => {
  assert.deepEqual(ids('진짜 맛있는 파스타'), []);
  assert.deepEqual(ids('VLOG | 일상'), []);
  assert.deepEqual(ids('진가를 발휘하는 냄비'), []);
  assert.deepEqual(ids('진로 고민 상담'), []);
  assert.deepEqual(ids('뷔페 다녀왔어요'), []);
  assert.deepEqual(ids('강호동의 밥심'), []);
  assert.deepEqual(ids('리사이클링 가방'), []);
  assert.deepEqual(ids('제니퍼 로페즈 스타일'), []);
  assert.deepEqual(ids('Vogue Korea 인터뷰'), []);
  assert.deepEqual(ids('TV 보면서 먹방'), []);
  assert.deepEqual(ids('RMX 리믹스'), []);
  assert.deepEqual(ids('BTS진'), []);
  assert.deepEqual(ids('진2 출시'), []);
});

test('a particle must itself end the word', () => {
  assert.deepEqual(ids('아이유가방 리뷰'), []);
  assert.deepEqual(ids('지수함수 강의'), []);
});

test('Latin aliases match case-insensitively, including accented letters', () => {
  assert.deepEqual(ids('iu 콘서트'), ['아이유']);
  assert.deepEqual(ids('Lisa의 데일리룩'), ['리사']);
  assert.deepEqual(ids('rosé 립 컬러'), ['로제']);
  assert.deepEqual(ids('j-hope 솔로'), ['제이홉']);
});

test('text and aliases are NFC-normalized (decomposed Hangul still matches)', () => {
  const decomposed = '아이유의 가방'.normalize('NFD');
  assert.notEqual(decomposed, '아이유의 가방');
  assert.deepEqual(ids(decomposed), ['아이유']);
  const nfdAlias = [{ id: 'x', name: 'x', aliases: ['정국'.normalize('NFD')] }];
  assert.equal(mentionsCelebrity('정국이 쓰는 향수', nfdAlias), true);
});

test('longer names inside shorter aliases: 강민경 matches once as 강민경, not also as 민경', () => {
  const mentions = findCelebrityMentions('다비치 강민경 브이로그', celebrities);
  assert.deepEqual(mentions, [{ celebrityId: '강민경', alias: '강민경', index: 4 }]);
});

test('reports every mention with its alias and index, in text order', () => {
  const mentions = findCelebrityMentions('제니랑 리사, 그리고 IU', celebrities);
  assert.deepEqual(mentions, [
    { celebrityId: '제니', alias: '제니', index: 0 },
    { celebrityId: '리사', alias: '리사', index: 4 },
    { celebrityId: '아이유', alias: 'IU', index: 12 },
  ]);
});

test('the celebrity name counts as an alias; empty aliases are ignored', () => {
  const registry = [{ id: 'c1', name: '홍길동', aliases: ['', '  '] }];
  assert.equal(mentionsCelebrity('홍길동의 하루', registry), true);
  assert.equal(mentionsCelebrity('아무 말', registry), false);
});

test('mentionsCelebrity accepts one celebrity or a list', () => {
  const jin = celebrities.find((c) => c.name === '진')!;
  assert.equal(mentionsCelebrity('진 브이로그', jin), true);
  assert.equal(mentionsCelebrity('진짜 브이로그', jin), false);
  assert.equal(mentionsCelebrity('석진 브이로그', celebrities), true);
});

test('aliases with regex characters are matched literally', () => {
  const registry = [{ id: 'c', name: 'A.B', aliases: ['(여자)아이들'] }];
  assert.equal(mentionsCelebrity('AxB 공연', registry), false);
  assert.equal(mentionsCelebrity('A.B 공연', registry), true);
  assert.equal(mentionsCelebrity('(여자)아이들의 무대', registry), true);
});

test('a matcher can be reused across texts', () => {
  const matcher = createAliasMatcher(celebrities);
  assert.equal(matcher.findMentions('정국 향수').length, 1);
  assert.equal(matcher.findMentions('정국 향수').length, 1);
  assert.equal(matcher.findMentions('평범한 하루').length, 0);
});
