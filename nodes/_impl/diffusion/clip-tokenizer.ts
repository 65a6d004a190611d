/**
 * CLIP byte-level BPE tokenizer, as OpenAI CLIP and Hugging Face's slow CLIPTokenizer do it, for the
 * text encoder of Stable Diffusion. It reads the `tokenizer/` folder of a diffusers or optimum export.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { NodeError } from '../../errors';

export interface ClipTokenizer {
  /** model_max_length from tokenizer_config.json (default 77). */
  readonly maxLength: number;
  readonly bosId: number;
  readonly eosId: number;
  readonly padId: number;
  /** BPE token ids of the text, without bos/eos. */
  tokenize(text: string): number[];
  /** [bos, ...ids truncated to maxLength-2, eos, pad...] exactly maxLength long, as int32. */
  encode(text: string): Int32Array;
}

export interface ClipTokenizerFiles {
  vocab: Record<string, number>;
  merges: string;
  config?: Record<string, unknown>;
  specialTokens?: Record<string, unknown>;
}

const defaultMaxLength = 77;
const memoLimit = 20_000;
const wordEnd = '</w>';
const utf8 = new TextEncoder();
const pretokenizer = /<\|startoftext\|>|<\|endoftext\|>|'s|'t|'re|'ve|'m|'ll|'d|[\p{L}]+|[\p{N}]|[^\s\p{L}\p{N}]+/giu;

const zVocab = z.record(z.string(), z.number().int().min(0));
const zJsonObject = z.record(z.string(), z.unknown());
/** A special token: a plain string or Hugging Face's AddedToken form. */
const zToken = z.union([z.string(), z.object({ content: z.string() })]);
const zMaxLength = z.number().int().min(2).max(1e6);

/** GPT-2's bytes_to_unicode: printable bytes stand for themselves, the rest for code points from 256 on. */
const byteChars: readonly string[] = (() => {
  const chars: string[] = [];
  let next = 256;
  for (let b = 0; b < 256; b++) {
    const printable = (b >= 0x21 && b <= 0x7e) || (b >= 0xa1 && b <= 0xac) || (b >= 0xae && b <= 0xff);
    chars.push(String.fromCodePoint(printable ? b : next++));
  }
  return chars;
})();

const htmlEntities: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'" };
const unescapeHtml = (text: string) => text.replace(/&(?:amp|lt|gt|quot|#39);/g, (entity) => htmlEntities[entity] ?? entity);

/** CLIP's text cleaning: NFC, HTML unescape (twice, like CLIP), whitespace runs to one space, trim, lowercase. */
export function cleanClipText(text: string): string {
  return unescapeHtml(unescapeHtml(text.normalize('NFC'))).replace(/\s+/g, ' ').trim().toLowerCase();
}

/** Builds a tokenizer from the contents of the tokenizer folder's files; throws model_invalid naming the bad file. */
export function createClipTokenizer(files: ClipTokenizerFiles): ClipTokenizer {
  return buildTokenizer(files);
}

/** Loads vocab.json and merges.txt (required), tokenizer_config.json and special_tokens_map.json (optional) from dir. */
export async function loadClipTokenizer(dir: string): Promise<ClipTokenizer> {
  const [vocab, merges, config, specialTokens] = await Promise.all([
    readRequired(dir, 'vocab.json').then((text) => parseJson(text, 'vocab.json', dir)),
    readRequired(dir, 'merges.txt'),
    readOptional(dir, 'tokenizer_config.json').then((text) => text === undefined ? undefined : parseJson(text, 'tokenizer_config.json', dir)),
    readOptional(dir, 'special_tokens_map.json').then((text) => text === undefined ? undefined : parseJson(text, 'special_tokens_map.json', dir)),
  ]);
  try {
    return buildTokenizer({ vocab, merges, config, specialTokens });
  } catch (error) {
    if (error instanceof NodeError) throw new NodeError(error.code, `CLIP tokenizer in ${dir}: ${error.message}`, { cause: error });
    throw error;
  }
}

function buildTokenizer(files: { vocab: unknown; merges: string; config?: unknown; specialTokens?: unknown }): ClipTokenizer {
  const vocabParsed = zVocab.safeParse(files.vocab);
  if (!vocabParsed.success) throw invalid('vocab.json must map token strings to non-negative integer ids');
  const vocab = new Map(Object.entries(vocabParsed.data));
  const ranks = parseMerges(files.merges);
  const config = parseObject(files.config, 'tokenizer_config.json');
  const specialTokens = parseObject(files.specialTokens, 'special_tokens_map.json');

  const tokenId = (key: string, token: string): number => {
    const id = vocab.get(token);
    if (id === undefined) throw invalid(`vocab.json has no id for ${key} '${token}'`);
    return id;
  };
  const bos = specialToken('bos_token', config, specialTokens) ?? '<|startoftext|>';
  const eos = specialToken('eos_token', config, specialTokens) ?? '<|endoftext|>';
  const bosId = tokenId('bos_token', bos);
  const eosId = tokenId('eos_token', eos);
  const padId = tokenId('pad_token', specialToken('pad_token', config, specialTokens) ?? '<|endoftext|>');
  const unkId = tokenId('unk_token', specialToken('unk_token', config, specialTokens) ?? '<|endoftext|>');
  const maxLengthParsed = zMaxLength.safeParse(config?.['model_max_length']);
  const maxLength = maxLengthParsed.success ? maxLengthParsed.data : defaultMaxLength;

  const specials = new Map([[bos, bosId], [eos, eosId]]);
  const memo = new Map<string, number[]>();
  const pieceIds = (piece: string): number[] => {
    const special = specials.get(piece);
    if (special !== undefined) return [special];
    const cached = memo.get(piece);
    if (cached) return cached;
    const word = Array.from(utf8.encode(piece), (byte) => byteChars[byte] ?? '').join('');
    const ids = bpe(word, ranks).map((symbol) => vocab.get(symbol) ?? unkId);
    if (memo.size >= memoLimit) memo.clear();
    memo.set(piece, ids);
    return ids;
  };

  const tokenize = (text: string): number[] => {
    const ids: number[] = [];
    for (const [piece] of cleanClipText(text).matchAll(pretokenizer)) ids.push(...pieceIds(piece));
    return ids;
  };
  const encode = (text: string): Int32Array => {
    const body = tokenize(text).slice(0, maxLength - 2);
    const out = new Int32Array(maxLength).fill(padId);
    out[0] = bosId;
    out.set(body, 1);
    out[body.length + 1] = eosId;
    return out;
  };
  return { maxLength, bosId, eosId, padId, tokenize, encode };
}

/** Merges the word's symbols (its last one suffixed `</w>`) pair by pair, lowest rank first. */
function bpe(word: string, ranks: ReadonlyMap<string, number>): string[] {
  let symbols = Array.from(word);
  if (symbols.length === 0) return [];
  symbols[symbols.length - 1] += wordEnd;
  while (symbols.length > 1) {
    let first = '';
    let second = '';
    let bestRank = Infinity;
    for (let i = 0; i + 1 < symbols.length; i++) {
      const rank = ranks.get(`${symbols[i]} ${symbols[i + 1]}`);
      if (rank !== undefined && rank < bestRank) [bestRank, first, second] = [rank, symbols[i] ?? '', symbols[i + 1] ?? ''];
    }
    if (bestRank === Infinity) break;
    const merged: string[] = [];
    for (let i = 0; i < symbols.length; i++) {
      const symbol = symbols[i] ?? '';
      if (symbol === first && symbols[i + 1] === second) {
        merged.push(first + second);
        i++;
      } else {
        merged.push(symbol);
      }
    }
    symbols = merged;
  }
  return symbols;
}

/** merges.txt: an optional `#version` header, then one "a b" pair per line, rank = order. */
function parseMerges(text: string): Map<string, number> {
  const ranks = new Map<string, number>();
  text.split('\n').forEach((raw, index) => {
    const line = raw.trim();
    if (line === '' || (index === 0 && line.startsWith('#version'))) return;
    const parts = line.split(/\s+/);
    if (parts.length !== 2) throw invalid(`merges.txt line ${index + 1} is not a pair "a b": ${JSON.stringify(line)}`);
    const key = parts.join(' ');
    if (!ranks.has(key)) ranks.set(key, ranks.size);
  });
  return ranks;
}

/** A special token's text from tokenizer_config.json, else special_tokens_map.json; undefined when neither sets it. */
function specialToken(key: string, config?: Record<string, unknown>, specialTokens?: Record<string, unknown>): string | undefined {
  for (const [file, source] of [['tokenizer_config.json', config], ['special_tokens_map.json', specialTokens]] as const) {
    const value = source?.[key];
    if (value === undefined || value === null) continue;
    const parsed = zToken.safeParse(value);
    if (!parsed.success) throw invalid(`${file}: ${key} must be a string or {"content": "..."}`);
    return typeof parsed.data === 'string' ? parsed.data : parsed.data.content;
  }
  return undefined;
}

function parseObject(value: unknown, file: string): Record<string, unknown> | undefined {
  if (value === undefined) return undefined;
  const parsed = zJsonObject.safeParse(value);
  if (!parsed.success) throw invalid(`${file} must be a JSON object`);
  return parsed.data;
}

function parseJson(text: string, file: string, dir: string): unknown {
  try {
    return JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    throw new NodeError('model_invalid', `CLIP tokenizer in ${dir}: ${file} is not JSON (${error instanceof Error ? error.message : String(error)})`, { cause: error });
  }
}

async function readRequired(dir: string, file: string): Promise<string> {
  const text = await readOptional(dir, file);
  if (text === undefined) throw new NodeError('model_invalid', `CLIP tokenizer in ${dir} has no ${file}`);
  return text;
}

async function readOptional(dir: string, file: string): Promise<string | undefined> {
  try {
    return await readFile(join(dir, file), 'utf8');
  } catch (error) {
    if (error instanceof Error && 'code' in error && error.code === 'ENOENT') return undefined;
    throw new NodeError('model_invalid', `CLIP tokenizer in ${dir}: cannot read ${file} (${error instanceof Error ? error.message : String(error)})`, { cause: error });
  }
}

const invalid = (message: string) => new NodeError('model_invalid', message);
