import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanClipText, createClipTokenizer, loadClipTokenizer } from './clip-tokenizer';

/** GPT-2 bytes_to_unicode in CLIP's vocab order: printable bytes first, then the rest mapped from U+0100 on. */
function byteUnicodeChars(): string[] {
  const printable = [...range(0x21, 0x7e), ...range(0xa1, 0xac), ...range(0xae, 0xff)];
  const rest = range(0, 0xff).filter((b) => !printable.includes(b));
  return [...printable.map((b) => String.fromCodePoint(b)), ...rest.map((_, n) => String.fromCodePoint(256 + n))];
}
function range(from: number, to: number): number[] {
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}

const merges = ['#version: 0.2', 'l l</w>', 'l l', 'h e', 'e l', 'he ll', 'hell o</w>', 'x y', ''].join('\n');
const mergedTokens = ['ll</w>', 'll', 'he', 'el', 'hell', 'hello</w>']; // 'xy' deliberately missing → unk
const chars = byteUnicodeChars();
const vocab: Record<string, number> = Object.fromEntries(
  [...chars, ...chars.map((c) => `${c}</w>`), ...mergedTokens, '<|startoftext|>', '<|endoftext|>'].map((token, id) => [token, id]),
);
const BOS = 518;
const EOS = 519;
const tokenizer = createClipTokenizer({ vocab, merges });

/** Vocab ids of tokens written out by hand. */
function ids(...tokens: string[]): number[] {
  return tokens.map((token) => {
    const id = vocab[token];
    if (id === undefined) throw new Error(`test vocab has no ${token}`);
    return id;
  });
}

describe('CLIP tokenizer: BPE', () => {
  it('builds the vocab the way CLIP does', () => {
    expect(vocab['!']).toBe(0);
    expect(vocab['Ā']).toBe(188); // byte 0x00, the first non-printable byte
    expect(vocab['<|startoftext|>']).toBe(BOS);
    expect([tokenizer.bosId, tokenizer.eosId, tokenizer.padId, tokenizer.maxLength]).toEqual([BOS, EOS, EOS, 77]);
  });
  it('applies merges by rank, not by the order pairs are found', () => {
    expect(tokenizer.tokenize('ell')).toEqual(ids('e', 'll</w>')); // "l l</w>" outranks "e l"
    expect(tokenizer.tokenize('hello')).toEqual(ids('hello</w>'));
    expect(tokenizer.tokenize('hell')).toEqual(ids('he', 'll</w>')); // no "he ll</w>" merge
    expect(tokenizer.tokenize('help')).toEqual(ids('he', 'l', 'p</w>')); // "h e" outranks "e l"
  });
  it('suffixes the last symbol of each word with </w>', () => {
    expect(tokenizer.tokenize('a')).toEqual(ids('a</w>'));
    expect(tokenizer.tokenize('ab a')).toEqual(ids('a', 'b</w>', 'a</w>'));
  });
  it('maps a merge missing from the vocab to the unk token', () => {
    expect(tokenizer.tokenize('xyz')).toEqual([EOS, ...ids('z</w>')]);
  });
});

describe('CLIP tokenizer: text cleaning and pre-tokenisation', () => {
  it('lowercases and collapses whitespace', () => {
    expect(cleanClipText('  HELLO \n\t  Hello  ')).toBe('hello hello');
    expect(tokenizer.tokenize('  HELLO \n\t  Hello  ')).toEqual(ids('hello</w>', 'hello</w>'));
  });
  it('unescapes basic HTML entities', () => {
    expect(cleanClipText('a &amp; b &lt;i&gt; &quot;x&quot; &#39;y&#39; &amp;amp;')).toBe('a & b <i> "x" \'y\' &');
  });
  it('splits punctuation runs from letters', () => {
    expect(tokenizer.tokenize('hi!!, he')).toEqual(ids('h', 'i</w>', '!', '!', ',</w>', 'h', 'e</w>'));
  });
  it('splits digits one per token', () => {
    expect(tokenizer.tokenize('a123')).toEqual(ids('a</w>', '1</w>', '2</w>', '3</w>'));
  });
  it('splits contractions', () => {
    expect(tokenizer.tokenize("it's")).toEqual(ids('i', 't</w>', "'", 's</w>'));
    expect(tokenizer.tokenize("DON'T we'll")).toEqual(ids('d', 'o', 'n</w>', "'", 't</w>', 'w', 'e</w>', "'", 'll</w>'));
  });
  it('maps non-ASCII text through UTF-8 bytes', () => {
    // é = C3 A9 → 'Ã' '©' (printable); 中 = E4 B8 AD → 'ä' '¸' 'Ń' (0xAD is the 68th non-printable byte → U+0143).
    expect(tokenizer.tokenize('Café')).toEqual(ids('c', 'a', 'f', 'Ã', '©</w>'));
    expect(tokenizer.tokenize('中')).toEqual(ids('ä', '¸', 'Ń</w>'));
    expect(tokenizer.tokenize('cafe\u0301')).toEqual(tokenizer.tokenize('café')); // NFC
  });
  it('keeps special tokens written in the text whole', () => {
    expect(tokenizer.tokenize('a <|endoftext|> a')).toEqual([...ids('a</w>'), EOS, ...ids('a</w>')]);
  });
});

describe('CLIP tokenizer: encode', () => {
  it('wraps in bos/eos and pads to maxLength', () => {
    const encoded = tokenizer.encode('hello');
    expect(encoded).toBeInstanceOf(Int32Array);
    expect(encoded).toHaveLength(77);
    expect([...encoded.slice(0, 4)]).toEqual([BOS, ...ids('hello</w>'), EOS, EOS]);
    expect([...tokenizer.encode('')].slice(0, 3)).toEqual([BOS, EOS, EOS]);
  });
  it('truncates to maxLength-2 and still ends with eos', () => {
    const short = createClipTokenizer({ vocab, merges, config: { model_max_length: 6, pad_token: '!' } });
    expect([...short.encode('1234567')]).toEqual([BOS, ...ids('1</w>', '2</w>', '3</w>', '4</w>'), EOS]);
    expect([...short.encode('12')]).toEqual([BOS, ...ids('1</w>', '2</w>'), EOS, 0, 0]);
  });
  it('pads with "!" the way SD 2.x configures it', () => {
    const sd2 = createClipTokenizer({ vocab, merges, specialTokens: { pad_token: '!' } });
    expect(sd2.padId).toBe(0);
    expect([...sd2.encode('a').slice(0, 5)]).toEqual([BOS, ...ids('a</w>'), EOS, 0, 0]);
  });
  it('reads special tokens in the AddedToken object form, config first', () => {
    const t = createClipTokenizer({
      vocab,
      merges,
      config: { bos_token: { content: '<|startoftext|>', lstrip: false }, pad_token: { content: '!' }, model_max_length: 1e30 },
      specialTokens: { pad_token: '<|endoftext|>' },
    });
    expect([t.bosId, t.padId, t.maxLength]).toEqual([BOS, 0, 77]);
  });
});

describe('CLIP tokenizer: loading and errors', () => {
  let dir: string | undefined;
  afterEach(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
    dir = undefined;
  });
  async function folder(files: Record<string, string>): Promise<string> {
    dir = await mkdtemp(join(tmpdir(), 'clip-tokenizer-'));
    for (const [name, text] of Object.entries(files)) await writeFile(join(dir, name), text);
    return dir;
  }

  it('loads a diffusers tokenizer folder', async () => {
    const path = await folder({
      'vocab.json': JSON.stringify(vocab),
      'merges.txt': merges.replaceAll('\n', '\r\n'),
      'tokenizer_config.json': JSON.stringify({ model_max_length: 8, pad_token: { content: '!', __type: 'AddedToken' } }),
      'special_tokens_map.json': JSON.stringify({ bos_token: '<|startoftext|>', eos_token: '<|endoftext|>' }),
    });
    const t = await loadClipTokenizer(path);
    expect([...t.encode('Hello, hell')]).toEqual([BOS, ...ids('hello</w>', ',</w>', 'he', 'll</w>'), EOS, 0, 0]);
  });
  it('works without the optional config files', async () => {
    const t = await loadClipTokenizer(await folder({ 'vocab.json': JSON.stringify(vocab), 'merges.txt': merges }));
    expect([t.maxLength, t.padId]).toEqual([77, EOS]);
  });
  it('is model_invalid when a required file is missing, naming file and folder', async () => {
    const path = await folder({ 'vocab.json': JSON.stringify(vocab) });
    await expect(loadClipTokenizer(path)).rejects.toMatchObject({ code: 'model_invalid', message: expect.stringMatching(/merges\.txt/) });
    await expect(loadClipTokenizer(path)).rejects.toThrow(path);
  });
  it('is model_invalid when a file is not JSON', async () => {
    const path = await folder({ 'vocab.json': '{not json', 'merges.txt': merges });
    await expect(loadClipTokenizer(path)).rejects.toMatchObject({ code: 'model_invalid', message: expect.stringContaining('vocab.json') });
  });
  it('is model_invalid when bos or eos is not in the vocab', async () => {
    const { '<|startoftext|>': _, ...noBos } = vocab;
    const path = await folder({ 'vocab.json': JSON.stringify(noBos), 'merges.txt': merges });
    await expect(loadClipTokenizer(path)).rejects.toMatchObject({ code: 'model_invalid', message: expect.stringContaining(path) });
    expect(() => createClipTokenizer({ vocab, merges, config: { eos_token: '<|nope|>' } })).toThrow(/eos_token '<\|nope\|>'/);
  });
  it('is model_invalid for malformed merges or vocab values', () => {
    expect(() => createClipTokenizer({ vocab, merges: '#version: 0.2\na b c' })).toThrow(/merges\.txt line 2/);
    expect(() => createClipTokenizer({ vocab: { ...vocab, bad: -1 }, merges })).toThrow(/vocab\.json/);
  });
});
