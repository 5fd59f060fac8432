/** Minimal WAV (RIFF) reader for the Whisper adapter: PCM 16-bit or float32, any channel count → mono Float32. */
export interface WavAudio {
  sampleRate: number;
  channels: number;
  /** Mono samples in [-1, 1]. */
  samples: Float32Array;
  durationS: number;
}

export class WavFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WavFormatError';
  }
}

export function parseWav(buf: Buffer): WavAudio {
  if (buf.length < 12 || buf.toString('ascii', 0, 4) !== 'RIFF' || buf.toString('ascii', 8, 12) !== 'WAVE') {
    throw new WavFormatError('not a RIFF/WAVE file');
  }
  let fmt: { format: number; channels: number; sampleRate: number; bits: number } | undefined;
  let data: Buffer | undefined;
  let off = 12;
  while (off + 8 <= buf.length) {
    const id = buf.toString('ascii', off, off + 4);
    // Streamed writers (ffmpeg to a pipe) leave sizes at 0 or 0xFFFFFFFF: clamp to what is there.
    let size = buf.readUInt32LE(off + 4);
    const body = off + 8;
    if (id === 'data' && (size === 0 || body + size > buf.length)) size = buf.length - body;
    if (id === 'fmt ') {
      if (size < 16) throw new WavFormatError('fmt chunk too short');
      let format = buf.readUInt16LE(body);
      if (format === 0xfffe && size >= 26) format = buf.readUInt16LE(body + 24); // WAVE_FORMAT_EXTENSIBLE subformat
      fmt = { format, channels: buf.readUInt16LE(body + 2), sampleRate: buf.readUInt32LE(body + 4), bits: buf.readUInt16LE(body + 14) };
    } else if (id === 'data') {
      data = buf.subarray(body, body + size);
      break;
    }
    off = body + size + (size % 2);
  }
  if (!fmt) throw new WavFormatError('no fmt chunk');
  if (!data) throw new WavFormatError('no data chunk');
  if (fmt.channels < 1) throw new WavFormatError('zero channels');
  const pcm16 = fmt.format === 1 && fmt.bits === 16;
  const float32 = fmt.format === 3 && fmt.bits === 32;
  if (!pcm16 && !float32) {
    throw new WavFormatError(`unsupported WAV encoding (format ${fmt.format}, ${fmt.bits} bit): expected PCM16 or float32`);
  }
  const bytesPerFrame = (fmt.bits / 8) * fmt.channels;
  const frames = Math.floor(data.length / bytesPerFrame);
  const samples = new Float32Array(frames);
  for (let i = 0; i < frames; i++) {
    let sum = 0;
    for (let c = 0; c < fmt.channels; c++) {
      const p = i * bytesPerFrame + c * (fmt.bits / 8);
      sum += pcm16 ? data.readInt16LE(p) / 32768 : data.readFloatLE(p);
    }
    samples[i] = sum / fmt.channels;
  }
  return { sampleRate: fmt.sampleRate, channels: fmt.channels, samples, durationS: frames / fmt.sampleRate };
}

/** Encodes mono PCM16 WAV (tests and fixtures). */
export function encodeWavPcm16(samples: Float32Array, sampleRate = 16000): Buffer {
  const buf = Buffer.alloc(44 + samples.length * 2);
  buf.write('RIFF', 0, 'ascii');
  buf.writeUInt32LE(36 + samples.length * 2, 4);
  buf.write('WAVE', 8, 'ascii');
  buf.write('fmt ', 12, 'ascii');
  buf.writeUInt32LE(16, 16);
  buf.writeUInt16LE(1, 20);
  buf.writeUInt16LE(1, 22);
  buf.writeUInt32LE(sampleRate, 24);
  buf.writeUInt32LE(sampleRate * 2, 28);
  buf.writeUInt16LE(2, 32);
  buf.writeUInt16LE(16, 34);
  buf.write('data', 36, 'ascii');
  buf.writeUInt32LE(samples.length * 2, 40);
  for (let i = 0; i < samples.length; i++) {
    buf.writeInt16LE(Math.max(-32768, Math.min(32767, Math.round(samples[i] * 32767))), 44 + i * 2);
  }
  return buf;
}
