import assert from 'node:assert/strict';
import { test } from 'node:test';
import { finalConsonant, josa, resolveParticles, withJosa } from '@/src/server/josa';

test('particles follow the final consonant as the word is read', () => {
  assert.equal(withJosa('제니', '이/가'), '제니가');
  assert.equal(withJosa('한소희', '이/가'), '한소희가');
  assert.equal(withJosa('김고은', '이/가'), '김고은이');
  assert.equal(withJosa('수분 크림', '을/를'), '수분 크림을');
  assert.equal(withJosa('독도 토너', '을/를'), '독도 토너를');
  assert.equal(withJosa('선크림', '으로/로'), '선크림으로');
  assert.equal(withJosa('젤', '으로/로'), '젤로');
  assert.equal(withJosa('토너', '으로/로'), '토너로');
  assert.equal(withJosa('아이폰 15', '이/가'), '아이폰 15가');
  assert.equal(withJosa('뉴발란스 530', '이/가'), '뉴발란스 530이');
  assert.equal(withJosa('에어팟 3', '은/는'), '에어팟 3은');
  assert.equal(withJosa('ROUND LAB', '이/가'), 'ROUND LAB이');
  assert.equal(withJosa('Dior toner', '이/가'), 'Dior toner가');
  assert.equal(withJosa('라운드랩 토너 (500ml)', '과/와'), '라운드랩 토너 (500ml)과');
  assert.equal(josa('', '이/가'), '가');
  assert.equal(finalConsonant('"쿠션"'), 4);
});

test('written-out alternatives are resolved by the word before them', () => {
  assert.equal(resolveParticles('제니이(가) 매일 쓰는 토너'), '제니가 매일 쓰는 토너');
  assert.equal(resolveParticles('김고은이(가) 쓰는 크림을(를) 소개'), '김고은이 쓰는 크림을 소개');
  assert.equal(resolveParticles('토너(을)를 발라요, 상태를 "승인됨"(으)로'), '토너를 발라요, 상태를 "승인됨"으로');
  assert.equal(resolveParticles('수지(이)랑 카리나와(과) 함께'), '수지랑 카리나와 함께');
  assert.equal(resolveParticles('괄호 (이)는 그대로'), '괄호 (이)는 그대로');
});

test('a final digit is read by its Korean name: 영 일 이 삼 사 오 육 칠 팔 구', () => {
  // 이/가 follows whether the name ends in a consonant; 으로/로 also treats ㄹ (일 칠 팔) as no consonant.
  const cases: [string, string, string][] = [
    ['0', '이', '으로'], // 영 (10 십, 100 백, 1000 천: all end in a consonant)
    ['1', '이', '로'], // 일
    ['2', '가', '로'], // 이
    ['3', '이', '으로'], // 삼
    ['4', '가', '로'], // 사
    ['5', '가', '로'], // 오
    ['6', '이', '으로'], // 육
    ['7', '이', '로'], // 칠
    ['8', '이', '로'], // 팔
    ['9', '가', '로'], // 구
  ];
  for (const [d, iga, euro] of cases) {
    assert.equal(josa(`모델 ${d}`, '이/가'), iga, `${d} 이/가`);
    assert.equal(josa(`모델 ${d}`, '으로/로'), euro, `${d} 으로/로`);
  }
  assert.equal(withJosa('갤럭시 S24', '을/를'), '갤럭시 S24를');
  assert.equal(withJosa('아이폰 16', '은/는'), '아이폰 16은');
  assert.equal(withJosa('SPF 50+', '이/가'), 'SPF 50+이');
});

test('a final Latin letter is read by its Korean name when spelled out (L 엘, M 엠, N 엔, R 알), a word as it sounds', () => {
  // single letters and abbreviations read letter by letter
  assert.equal(withJosa('비타민 C', '이/가'), '비타민 C가');
  assert.equal(withJosa('사이즈 L', '이/가'), '사이즈 L이');
  assert.equal(withJosa('사이즈 L', '으로/로'), '사이즈 L로');
  assert.equal(withJosa('사이즈 M', '으로/로'), '사이즈 M으로');
  assert.equal(withJosa('플랜 N', '을/를'), '플랜 N을');
  assert.equal(withJosa('모델 R', '과/와'), '모델 R과');
  assert.equal(withJosa('XL', '이/가'), 'XL이');
  assert.equal(withJosa('LG', '이/가'), 'LG가');
  assert.equal(withJosa('SK', '이/가'), 'SK가');
  assert.equal(withJosa('BMW', '을/를'), 'BMW를');
  assert.equal(withJosa('CNN', '이/가'), 'CNN이');
  // words by their pronunciation
  assert.equal(withJosa('iPhone', '이/가'), 'iPhone이'); // 아이폰
  assert.equal(withJosa('Apple', '과/와'), 'Apple과'); // 애플
  assert.equal(withJosa('Apple', '으로/로'), 'Apple로');
  assert.equal(withJosa('Lancôme', '이/가'), 'Lancôme이'); // 랑콤
  assert.equal(withJosa('MacBook', '을/를'), 'MacBook을'); // 맥북
  assert.equal(withJosa('Dr.Jart+', '이/가'), 'Dr.Jart+가'); // 닥터자르트
  assert.equal(withJosa('COSRX', '이/가'), 'COSRX가'); // 코스알엑스
  assert.equal(withJosa('Dyson', '이/가'), 'Dyson이'); // 다이슨
  assert.equal(withJosa('Coupang', '으로/로'), 'Coupang으로'); // 쿠팡
  assert.equal(withJosa('Kindle', '으로/로'), 'Kindle로'); // 킨들
});
