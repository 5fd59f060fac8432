import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { DomainError } from '@/src/server/errors';
import { detectCaptionFormat, parseCaptions } from '@/src/server/transcripts/captions';

const sharedDir = process.env.SHARED_DIR ?? path.resolve(process.cwd(), '../shared');
const json3Sample = () =>
  fs.readFileSync(path.join(sharedDir, 'contracts/youtube-captions/timedtext-json3-asr-ko.json'), 'utf8');

function assertBadCaptions(fn: () => unknown, detail: RegExp) {
  assert.throws(fn, (error: unknown) => {
    assert.ok(error instanceof DomainError);
    assert.equal(error.code, 'bad_request');
    assert.equal(error.field, 'captions');
    assert.match(error.message, /^captions: /);
    assert.match(error.message, detail);
    return true;
  });
}

const VTT = `\uFEFFWEBVTT - 자막
Kind: captions
Language: ko

NOTE 이 블록은 주석입니다
여러 줄일 수 있어요

STYLE
::cue { color: yellow }

intro
00:00:01.000 --> 00:00:03.500 align:start position:10% line:0
<v 민경>안녕하세요 &amp; 반가워요</v>
<i>오늘은</i> 파우치 공개!

02:05.250 --> 02:07.000
&lt;꿀팁&gt; &quot;진짜&quot;&nbsp;좋아요 &#xAC00;&#44032;

01:00:00.000 --> 01:00:01.5
마지막
`;

test('parses WebVTT: header, NOTE/STYLE blocks, identifiers, settings, tags, entities, mm:ss and hh:mm:ss', () => {
  assert.deepEqual(parseCaptions(VTT, 'pouch.vtt'), [
    { start: 1, end: 3.5, text: '안녕하세요 & 반가워요 오늘은 파우치 공개!' },
    { start: 125.25, end: 127, text: '<꿀팁> "진짜" 좋아요 가가' },
    { start: 3600, end: 3601.5, text: '마지막' },
  ]);
});

const YOUTUBE_ASR_VTT = `WEBVTT
Kind: captions
Language: ko

00:00:00.160 --> 00:00:02.190 align:start position:0%
 
안녕하세요<00:00:00.800><c> 여러분</c><00:00:01.440><c> 오늘은</c>

00:00:02.190 --> 00:00:02.200 align:start position:0%
안녕하세요 여러분 오늘은
 

00:00:02.200 --> 00:00:06.120 align:start position:0%
안녕하세요 여러분 오늘은
김치찌개를<00:00:02.920><c> 10분</c><00:00:03.320><c> 만에</c>

00:00:06.120 --> 00:00:06.130 align:start position:0%
김치찌개를 10분 만에
 

00:00:06.130 --> 00:00:09.000 align:start position:0%
김치찌개를 10분 만에
만들어 볼게요
`;

test('collapses YouTube auto-caption rolling duplicates', () => {
  assert.deepEqual(parseCaptions(YOUTUBE_ASR_VTT, 'vtt'), [
    { start: 0.16, end: 2.2, text: '안녕하세요 여러분 오늘은' },
    { start: 2.2, end: 6.13, text: '김치찌개를 10분 만에' },
    { start: 6.13, end: 9, text: '만들어 볼게요' },
  ]);
});

const SRT = `1
00:00:01,000 --> 00:00:04,000
<i>이 쿠션</i> 진짜
<font color="#fff">좋아요</font>

2
00:00:05,500 --> 00:00:07,250 X1:100 X2:200 Y1:10 Y2:20
두 번째 줄

3
00:01:10,000 --> 00:01:12,000
세 번째 &amp; 끝
`;

test('parses SRT with index lines, comma milliseconds, tags and CRLF line endings', () => {
  const expected = [
    { start: 1, end: 4, text: '이 쿠션 진짜 좋아요' },
    { start: 5.5, end: 7.25, text: '두 번째 줄' },
    { start: 70, end: 72, text: '세 번째 & 끝' },
  ];
  assert.deepEqual(parseCaptions(SRT, 'clip.srt'), expected);
  assert.deepEqual(parseCaptions(SRT.replace(/\n/g, '\r\n'), 'srt'), expected);
});

test('parses the YouTube json3 contract sample, skipping newline-only and window events', () => {
  const segments = parseCaptions(json3Sample(), 'json3');
  assert.deepEqual(segments, [
    { start: 0.16, end: 2.2, text: '안녕하세요 여러분 오늘은' },
    { start: 2.2, end: 6.3, text: '김치찌개를 10분 만에 만들어 볼게요' },
    { start: 95, end: 98.3, text: '제가 쓰는 냄비는 스타우브 꼬꼬떼예요' },
  ]);
});

test('detects the format from the content', () => {
  assert.equal(detectCaptionFormat(VTT), 'vtt');
  assert.equal(detectCaptionFormat(SRT), 'srt');
  assert.equal(detectCaptionFormat(json3Sample()), 'json3');
  assert.equal(detectCaptionFormat('00:01.000 --> 00:02.000\nhi'), 'vtt');
  assert.equal(detectCaptionFormat('{"foo": 1}'), null);
  assert.equal(detectCaptionFormat('just some text'), null);
});

test('content wins over a wrong file name; the name decides otherwise', () => {
  assert.equal(parseCaptions(SRT, 'wrongly-named.vtt').length, 3);
  assert.equal(parseCaptions(VTT, 'wrongly-named.srt').length, 3);
});

test('refuses empty, unrecognized and malformed caption files with a clear message', () => {
  assertBadCaptions(() => parseCaptions('', 'a.vtt'), /empty/);
  assertBadCaptions(() => parseCaptions('hello world', 'notes.txt'), /unrecognized caption format \("notes\.txt"\)/);
  assertBadCaptions(() => parseCaptions('WEBVTT\n\n00:00:01.000 --> 00:00:xx.000\nhi\n', 'vtt'), /line 3: "00:00:xx\.000" is not a timestamp/);
  assertBadCaptions(() => parseCaptions('WEBVTT\n\n00:00:05.000 --> 00:00:01.000\nhi\n', 'vtt'), /line 3: cue ends/);
  assertBadCaptions(() => parseCaptions('WEBVTT\n\njust text\n', 'vtt'), /line 3: text without/);
  assertBadCaptions(() => parseCaptions('WEBVTT\n\nNOTE only a note\n', 'vtt'), /no caption text/);
  assertBadCaptions(() => parseCaptions('{"events": [', 'json3'), /not valid JSON/);
  assertBadCaptions(() => parseCaptions('{"events": [{"tStartMs": "x"}]}', 'json3'), /json3.*events\.0\.tStartMs/);
});
