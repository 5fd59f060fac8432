import { createWriteStream, type WriteStream } from 'node:fs';
import fs from 'node:fs/promises';
import { once } from 'node:events';
import { DomainError } from '@/src/server/errors';

/**
 * Streaming multipart/form-data reader: file fields go straight to disk (never the whole upload in memory), text
 * fields are collected up to a size each. Field names not listed are refused.
 */
export type MultipartSpec = {
  files: Record<string, { path: string; maxBytes: number; tooLarge: string }>;
  texts: Record<string, { maxBytes: number; tooLarge: string }>;
};
export type MultipartResult = {
  files: Record<string, { path: string; name: string; size: number; contentType: string }>;
  texts: Record<string, string>;
};

const CRLF = Buffer.from('\r\n');
const HEADER_END = Buffer.from('\r\n\r\n');
const MAX_HEADER_BYTES = 16 * 1024;

export function boundaryOf(contentType: string | null): string {
  const m = /^multipart\/form-data\s*;(?:.*;)?\s*boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType ?? '');
  const boundary = m?.[1] ?? m?.[2];
  if (!boundary || boundary.length > 200) {
    throw new DomainError('bad_request', 'Send multipart/form-data with a `file` field (and optional captions, title, description).', 'file');
  }
  return boundary;
}

function parseDisposition(headers: string): { name: string; filename: string | null; contentType: string } {
  const lines = headers.split('\r\n');
  const disposition = lines.find((l) => /^content-disposition:/i.test(l)) ?? '';
  const type = lines.find((l) => /^content-type:/i.test(l))?.replace(/^content-type:\s*/i, '').trim() ?? '';
  const param = (key: string) => {
    const m = new RegExp(`;\\s*${key}="((?:[^"\\\\]|\\\\.)*)"`, 'i').exec(disposition) ?? new RegExp(`;\\s*${key}=([^;\\s]+)`, 'i').exec(disposition);
    return m ? m[1].replace(/\\(.)/g, '$1') : null;
  };
  const name = param('name');
  if (!name) throw new DomainError('bad_request', 'A multipart part has no field name.');
  const star = /;\s*filename\*=(?:UTF-8|utf-8)''([^;\s]+)/.exec(disposition)?.[1];
  let filename = star ? decodeFilename(star, name) : param('filename');
  if (filename) filename = filename.replace(/%22/g, '"').replace(/%0D/gi, '').replace(/%0A/gi, '');
  return { name, filename, contentType: type };
}

/** An RFC 5987 `filename*` value; broken percent-encoding is the client's mistake (400), not ours. */
function decodeFilename(encoded: string, field: string): string {
  try {
    return decodeURIComponent(encoded);
  } catch {
    throw new DomainError('bad_request', `${field}: the file name is not valid percent-encoded UTF-8`, field);
  }
}

type Sink = { write(chunk: Buffer): Promise<void>; end(): Promise<void> };

/** Reads the request body; on any error the files written so far are removed. */
export async function readMultipart(body: ReadableStream<Uint8Array> | null, contentType: string | null, spec: MultipartSpec): Promise<MultipartResult> {
  const delimiter = Buffer.from(`\r\n--${boundaryOf(contentType)}`);
  const result: MultipartResult = { files: {}, texts: {} };
  const written: string[] = [];
  const streams: WriteStream[] = [];
  if (!body) throw new DomainError('bad_request', 'The request has no body.', 'file');

  type State = 'preamble' | 'after' | 'headers' | 'body' | 'done';
  let state = 'preamble' as State;
  let buffer: Buffer = Buffer.from(CRLF); // so the first boundary looks like every other one
  let sink: Sink | null = null;

  function openPart(headers: string): Sink {
    const { name, filename, contentType: type } = parseDisposition(headers);
    const fileSpec = spec.files[name];
    if (fileSpec && filename !== null) {
      if (result.files[name]) throw new DomainError('bad_request', `${name}: send one file`, name);
      let size = 0;
      const out: WriteStream = createWriteStream(fileSpec.path);
      let failure: Error | null = null;
      out.on('error', (e) => (failure = e));
      streams.push(out);
      written.push(fileSpec.path);
      const info = { path: fileSpec.path, name: filename, size: 0, contentType: type };
      result.files[name] = info;
      return {
        async write(chunk) {
          size += chunk.length;
          if (size > fileSpec.maxBytes) throw new DomainError('payload_too_large', fileSpec.tooLarge, name);
          if (failure) throw failure;
          if (!out.write(chunk)) await once(out, 'drain');
        },
        async end() {
          info.size = size;
          out.end();
          await once(out, 'finish');
        },
      };
    }
    const textSpec = spec.texts[name];
    if (textSpec && filename === null) {
      const parts: Buffer[] = [];
      let size = 0;
      return {
        async write(chunk) {
          size += chunk.length;
          if (size > textSpec.maxBytes) throw new DomainError('bad_request', textSpec.tooLarge, name);
          parts.push(chunk);
        },
        async end() {
          result.texts[name] = Buffer.concat(parts).toString('utf8');
        },
      };
    }
    if (fileSpec || textSpec) {
      throw new DomainError('bad_request', `${name}: expected ${fileSpec ? 'a file' : 'a text value'}`, name);
    }
    // Unknown fields are read and dropped (forms may send extra inputs).
    return { async write() {}, async end() {} };
  }

  async function step(): Promise<boolean> {
    switch (state) {
      case 'preamble': {
        const i = buffer.indexOf(delimiter);
        if (i < 0) {
          buffer = buffer.subarray(Math.max(0, buffer.length - delimiter.length + 1));
          return false;
        }
        buffer = buffer.subarray(i + delimiter.length);
        state = 'after';
        return true;
      }
      case 'after': {
        if (buffer.length < 2) return false;
        if (buffer[0] === 0x2d && buffer[1] === 0x2d) {
          state = 'done';
          return false;
        }
        const eol = buffer.indexOf(CRLF);
        if (eol < 0) return false;
        buffer = buffer.subarray(eol + 2); // transport padding, then CRLF
        state = 'headers';
        return true;
      }
      case 'headers': {
        const i = buffer.indexOf(HEADER_END);
        if (i < 0) {
          if (buffer.length > MAX_HEADER_BYTES) throw new DomainError('bad_request', 'Multipart part headers are too large.');
          return false;
        }
        sink = openPart(buffer.subarray(0, i).toString('utf8'));
        buffer = buffer.subarray(i + HEADER_END.length);
        state = 'body';
        return true;
      }
      case 'body': {
        const i = buffer.indexOf(delimiter);
        if (i < 0) {
          const keep = delimiter.length - 1;
          if (buffer.length > keep) {
            await sink!.write(Buffer.from(buffer.subarray(0, buffer.length - keep)));
            buffer = buffer.subarray(buffer.length - keep);
          }
          return false;
        }
        if (i > 0) await sink!.write(Buffer.from(buffer.subarray(0, i)));
        await sink!.end();
        sink = null;
        buffer = buffer.subarray(i + delimiter.length);
        state = 'after';
        return true;
      }
      default:
        return false;
    }
  }

  const reader = body.getReader();
  let bodyFailed = false;
  try {
    for (;;) {
      let chunk: ReadableStreamReadResult<Uint8Array>;
      try {
        chunk = await reader.read();
      } catch {
        // The body stream fails when the client goes away mid-upload (Node's "aborted", ECONNRESET): the client's
        // doing, not a server fault; there is no one left to answer, but it is a 400 like any body that ends early.
        bodyFailed = true;
        throw new DomainError('bad_request', 'The multipart body ended early (upload interrupted?).', 'file');
      }
      const { done, value } = chunk;
      if (done) break;
      buffer = buffer.length ? Buffer.concat([buffer, value]) : Buffer.from(value);
      while (await step());
      if (state === 'done') {
        await reader.cancel().catch(() => {});
        break;
      }
    }
    if (state !== 'done') throw new DomainError('bad_request', 'The multipart body ended early (upload interrupted?).', 'file');
    return result;
  } catch (err) {
    streams.forEach((s) => s.destroy());
    await Promise.all(written.map((p) => fs.rm(p, { force: true })));
    // Refused mid-body (a full disk, a bad part): the rest is read and dropped before the answer goes out, else the
    // client loses the answer (below). Not a body over the cap: reading it is what is refused.
    if (!bodyFailed && !(err instanceof DomainError && err.code === 'payload_too_large')) await discardRest(reader);
    throw err;
  }
}

/** How long a refused upload's remaining body is read and dropped, at most (nginx's lingering_time, for the same reason). */
const DISCARD_MS = 30_000;

/**
 * Reads the rest of a request body and drops it (nothing is written). A server that answers and closes while the
 * client is still sending leaves unread bytes on the socket; the kernel then resets the connection, and the client
 * (fetch, curl) loses the answer with it and sees "fetch failed" instead of the 507 or 400. Answering early is correct
 * HTTP; closing without reading what is already on its way is what loses the answer.
 */
async function discardRest(reader: ReadableStreamDefaultReader<Uint8Array>): Promise<void> {
  const timer = setTimeout(() => void reader.cancel().catch(() => {}), DISCARD_MS);
  try {
    while (!(await reader.read()).done);
  } catch {
    /* the client went away: nothing more to read */
  } finally {
    clearTimeout(timer);
  }
}
