import { Worker } from 'node:worker_threads';

/**
 * PP-OCR (@gutenye/ocr-node) in its own worker thread. onnxruntime-node runs a session synchronously on the calling
 * JavaScript thread, so a detection on a 960×540 frame held the event loop for 0.2–0.4 s and every request the same
 * process served waited behind it (list p95 123 ms while a video was analysed). The worker's code is a string run
 * with `eval`: the app's own modules are bundled by Next.js, where a separate worker file has no stable path, while
 * the package is external and resolves from the working directory (the project root; /app in the image).
 */
export type PpocrRawLine = { text: string; mean: number; box?: number[][] };
export type PpocrThread = { detect(png: Buffer): Promise<PpocrRawLine[]>; release(): Promise<void> };

const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const message = (err) => String((err && err.message) || err);
import('@gutenye/ocr-node').then(async (mod) => {
  const ocr = await mod.default.create(workerData);
  parentPort.on('message', ({ id, png }) => {
    ocr.detect(Buffer.from(png.buffer, png.byteOffset, png.byteLength)).then(
      (lines) => parentPort.postMessage({ id, lines: lines.map((l) => ({ text: l.text, mean: l.mean, box: l.box })) }),
      (err) => parentPort.postMessage({ id, error: message(err) }),
    );
  });
  parentPort.postMessage({ ready: true });
}).catch((err) => parentPort.postMessage({ failed: message(err) }));
`;

type Reply = { ready?: true; failed?: string; id?: number; lines?: PpocrRawLine[]; error?: string };

/** Starts the thread and loads the models in it; rejects with the reason when they cannot load. */
export function startPpocrThread(options: { models: object; onnxOptions: Record<string, unknown> }, onExit: () => void): Promise<PpocrThread> {
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: options });
  worker.unref(); // an idle OCR thread never keeps the process alive
  const pending = new Map<number, { resolve: (l: PpocrRawLine[]) => void; reject: (e: Error) => void }>();
  let nextId = 0;
  let dead: Error | null = null;
  let released = false;
  const failAll = (err: Error) => {
    dead = err;
    for (const p of pending.values()) p.reject(err);
    pending.clear();
    if (!released) onExit(); // died on its own: the next read starts a new thread
  };
  return new Promise((resolve, reject) => {
    worker.on('error', (err) => {
      reject(err);
      failAll(new Error(`PP-OCR thread failed: ${err.message}`));
    });
    worker.on('exit', (code) => {
      reject(new Error(`PP-OCR thread exited (code ${code}) before its models loaded`));
      failAll(new Error(`PP-OCR thread exited (code ${code})`));
    });
    worker.on('message', (m: Reply) => {
      if (m.failed) return reject(new Error(`PP-OCR could not load: ${m.failed}`));
      if (m.ready)
        return resolve({
          detect(png) {
            if (dead) return Promise.reject(dead);
            const id = nextId++;
            return new Promise((res, rej) => {
              pending.set(id, { resolve: res, reject: rej });
              worker.postMessage({ id, png });
            });
          },
          async release() {
            released = true;
            await worker.terminate();
          },
        });
      const p = m.id === undefined ? undefined : pending.get(m.id);
      if (!p) return;
      pending.delete(m.id!);
      if (m.error) p.reject(new Error(`PP-OCR: ${m.error}`));
      else p.resolve(m.lines ?? []);
    });
  });
}
