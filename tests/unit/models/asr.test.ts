import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';

process.env.LOG_LEVEL ??= 'warn';
const { chunksToSegments, transcribeAudio, whisperAvailable } = await import('@/src/models/asr');
const { parseWav, encodeWavPcm16 } = await import('@/src/models/wav');
const { whisperFiles, whisperStatus, modelStatus } = await import('@/src/models/registry');

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'asr-test-'));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

function sine(seconds: number, hz = 440, rate = 16000, amp = 0.5): Float32Array {
  const out = new Float32Array(Math.round(seconds * rate));
  for (let i = 0; i < out.length; i++) out[i] = amp * Math.sin((2 * Math.PI * hz * i) / rate);
  return out;
}

test('parseWav reads a generated 16 kHz mono PCM16 WAV', () => {
  const src = sine(1.5);
  const wav = parseWav(encodeWavPcm16(src));
  assert.equal(wav.sampleRate, 16000);
  assert.equal(wav.channels, 1);
  assert.equal(wav.samples.length, 24000);
  assert.equal(wav.durationS, 1.5);
  let maxErr = 0;
  for (let i = 0; i < src.length; i++) maxErr = Math.max(maxErr, Math.abs(src[i] - wav.samples[i]));
  assert.ok(maxErr < 1 / 16000, `PCM16 round trip error ${maxErr}`);
});

test('parseWav skips extra chunks, downmixes stereo, tolerates a streamed (0xFFFFFFFF) data size', () => {
  // stereo PCM16, L = +0.5, R = -0.25, with a LIST chunk (odd size + pad byte) before data, streamed size
  const frames = 100;
  const list = Buffer.from('LIST\x03\x00\x00\x00abc\x00', 'binary');
  const header = Buffer.alloc(36);
  header.write('RIFF', 0, 'ascii');
  header.writeUInt32LE(0xffffffff, 4);
  header.write('WAVE', 8, 'ascii');
  header.write('fmt ', 12, 'ascii');
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20);
  header.writeUInt16LE(2, 22);
  header.writeUInt32LE(16000, 24);
  header.writeUInt32LE(64000, 28);
  header.writeUInt16LE(4, 32);
  header.writeUInt16LE(16, 34);
  const dataHead = Buffer.alloc(8);
  dataHead.write('data', 0, 'ascii');
  dataHead.writeUInt32LE(0xffffffff, 4);
  const pcm = Buffer.alloc(frames * 4);
  for (let i = 0; i < frames; i++) {
    pcm.writeInt16LE(16384, i * 4);
    pcm.writeInt16LE(-8192, i * 4 + 2);
  }
  const wav = parseWav(Buffer.concat([header, list, dataHead, pcm]));
  assert.equal(wav.channels, 2);
  assert.equal(wav.samples.length, frames);
  assert.ok(Math.abs(wav.samples[0] - 0.125) < 1e-6, `downmix ${wav.samples[0]}`);
});

test('parseWav rejects non-WAV and unsupported encodings', () => {
  assert.throws(() => parseWav(Buffer.from('ID3 mp3 bytes here')), /RIFF/);
  const wav = encodeWavPcm16(sine(0.1));
  wav.writeUInt16LE(8, 34); // 8-bit
  assert.throws(() => parseWav(wav), /unsupported WAV encoding/);
});

test('chunksToSegments maps a realistic Whisper pipeline output', () => {
  const output = {
    text: ' 안녕하세요 여러분. 제가 요즘 진짜 잘 쓰는 게 있는데 라운드랩 독도 토너예요. 오늘 영상은 여기까지입니다.',
    chunks: [
      { timestamp: [0, 4.48] as [number, number], text: ' 안녕하세요 여러분.' },
      { timestamp: [20.96, 26.3] as [number, number], text: ' 제가 요즘 진짜 잘 쓰는 게 있는데  라운드랩 독도 토너예요.' },
      { timestamp: [27.1, 27.1] as [number, number], text: '   ' },
      { timestamp: [40.02, null] as [number, null], text: ' 오늘 영상은 여기까지입니다.' },
    ],
  };
  assert.deepEqual(chunksToSegments(output, 60), [
    { start: 0, end: 4.48, text: '안녕하세요 여러분.' },
    { start: 20.96, end: 26.3, text: '제가 요즘 진짜 잘 쓰는 게 있는데 라운드랩 독도 토너예요.' },
    { start: 40.02, end: 60, text: '오늘 영상은 여기까지입니다.' },
  ]);
});

test('chunksToSegments: open end takes the next start, times clamp to the audio, no chunks → one segment', () => {
  const segs = chunksToSegments(
    {
      text: 'a b',
      chunks: [
        { timestamp: [-0.5, null], text: 'a' },
        { timestamp: [3.333, 99], text: 'b' },
      ],
    },
    10,
  );
  assert.deepEqual(segs, [
    { start: 0, end: 3.33, text: 'a' },
    { start: 3.33, end: 10, text: 'b' },
  ]);
  assert.deepEqual(chunksToSegments({ text: ' 네. ' }, 2.5), [{ start: 0, end: 2.5, text: '네.' }]);
  assert.deepEqual(chunksToSegments({ text: '  ' }, 2.5), []);
});

test('whisper file names follow transformers.js 4 dtype suffixes', () => {
  assert.deepEqual(whisperFiles('q8').slice(5), ['onnx/encoder_model_quantized.onnx', 'onnx/decoder_model_merged_quantized.onnx']);
  assert.deepEqual(whisperFiles('fp16').slice(5), ['onnx/encoder_model_fp16.onnx', 'onnx/decoder_model_merged_fp16.onnx']);
  assert.equal(whisperFiles('q8').length, 7);
});

test('a folder missing tokenizer.json is not available, and the missing file is named', async () => {
  const model = 'test-org/whisper-fake';
  const dir = path.join(tmp, model);
  for (const f of whisperFiles('q8')) {
    if (f === 'tokenizer.json') continue;
    fs.mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
    fs.writeFileSync(path.join(dir, f), '{}');
  }
  const target = { modelsDir: tmp, model };
  assert.equal(whisperAvailable(target), false);
  const status = whisperStatus(tmp, model, 'q8');
  assert.equal(status.present, false);
  assert.deepEqual(status.missing, ['tokenizer.json']);
  const wavPath = path.join(tmp, 'a.wav');
  fs.writeFileSync(wavPath, encodeWavPcm16(sine(0.5)));
  await assert.rejects(transcribeAudio(wavPath, target), (e: Error & { code?: string }) => {
    assert.equal(e.code, 'not_configured');
    assert.match(e.message, /missing tokenizer\.json/);
    return true;
  });
  fs.writeFileSync(path.join(dir, 'tokenizer.json'), '{}');
  assert.equal(whisperAvailable(target), true, 'all seven present → available');
  fs.writeFileSync(path.join(dir, 'config.json'), '');
  assert.deepEqual(whisperStatus(tmp, model, 'q8').missing, ['config.json'], 'an empty file counts as missing');
});

test('modelStatus lists every model for health output', async () => {
  const list = await modelStatus(tmp);
  assert.deepEqual(list.map((m) => m.name.replace(/^whisper:.*/, 'whisper')), ['yolox-nano', 'whisper', 'ppocr-v4', 'tesseract:kor+eng']);
  const yolox = list[0];
  assert.equal(yolox.present, false);
  assert.deepEqual(yolox.missing, ['yolox-nano/yolox_nano.onnx']);
  assert.equal(list[1].present, false);
  assert.equal(list[1].missing.length, 7);
  assert.equal(list[2].present, true, JSON.stringify(list[2]));
  assert.equal(list[3].present, true, JSON.stringify(list[3]));
});

test('a complete but bogus folder fails to load locally (remote models disabled) and is not cached', async () => {
  const { cachedModelKeys } = await import('@/src/models/runtime');
  const model = 'test-org/whisper-bogus';
  for (const f of whisperFiles('q8')) {
    fs.mkdirSync(path.dirname(path.join(tmp, model, f)), { recursive: true });
    fs.writeFileSync(path.join(tmp, model, f), '{}');
  }
  const wavPath = path.join(tmp, 'b.wav');
  fs.writeFileSync(wavPath, encodeWavPcm16(sine(0.5)));
  await assert.rejects(transcribeAudio(wavPath, { modelsDir: tmp, model }), /model type|Unsupported|Could not|not found/i);
  assert.equal(cachedModelKeys().filter((k) => k.includes('whisper-bogus')).length, 0);
});
