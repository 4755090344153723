import fs from 'node:fs';
import path from 'node:path';
import { Tokenizer } from '@huggingface/tokenizers';
import { ModelFolderError } from '../generate/modelFolder.ts';
import type { EncoderFolder } from './encoderFolder.ts';

/** One text as the model sees it: token ids with the special tokens, and their token types. */
export interface EncodedText {
  readonly ids: readonly number[];
  readonly typeIds: readonly number[];
}

/**
 * Texts longer than this many characters per allowed token are cut (at a space) before tokenizing: no
 * tokenizer packs more characters than that into a token, so the kept tokens are the same, and a
 * megabyte of text does not cost a megabyte of tokenizing to keep 512 tokens. Checked after the fact.
 */
const CHARS_PER_TOKEN_BOUND = 12;

/** Index of the last whitespace at or before `at` (within 4096 characters), or -1. */
function lastSpaceBefore(text: string, at: number): number {
  for (let i = at; i > 0 && i > at - 4096; i--) if (/\s/.test(text[i]!)) return i;
  return -1;
}

function readJson(folder: EncoderFolder, file: string): object {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as object;
  } catch (e) {
    throw new ModelFolderError(folder.dir, path.basename(file), `cannot be read (${(e as Error).message})`);
  }
}

/**
 * The encoder's tokenizer (`tokenizer.json` run by @huggingface/tokenizers) with the model's special
 * tokens (`[CLS] … [SEP]`), truncated to `maxTokens`: the text is cut, the closing special token kept.
 */
export class EncoderTokenizer {
  readonly maxTokens: number;
  private readonly tok: Tokenizer;
  private readonly specialIds: ReadonlySet<number>;

  constructor(folder: EncoderFolder) {
    const json = readJson(folder, folder.tokenizerFile);
    const config = folder.tokenizerConfigFile ? readJson(folder, folder.tokenizerConfigFile) : {};
    try {
      this.tok = new Tokenizer(json, config);
    } catch (e) {
      throw new ModelFolderError(folder.dir, 'tokenizer.json', `cannot be loaded (${(e as Error).message})`);
    }
    const added = (json as { added_tokens?: { id: number; special?: boolean }[] }).added_tokens ?? [];
    this.specialIds = new Set(added.filter((t) => t.special).map((t) => t.id));
    this.maxTokens = folder.maxTokens;
  }

  encode(text: string): EncodedText {
    const bound = this.maxTokens * CHARS_PER_TOKEN_BOUND;
    const cut = text.length > bound ? lastSpaceBefore(text, bound) : -1;
    if (cut > 0) {
      const head = this.encodeWhole(text.slice(0, cut));
      if (head.ids.length >= this.maxTokens) return this.truncate(head);
    }
    return this.truncate(this.encodeWhole(text));
  }

  private encodeWhole(text: string): EncodedText {
    const e = this.tok.encode(text, { add_special_tokens: true, return_token_type_ids: true });
    return { ids: e.ids, typeIds: e.token_type_ids ?? new Array<number>(e.ids.length).fill(0) };
  }

  /** Keeps the first maxTokens - 1 tokens and the last one when it is special (`[SEP]`), else the first maxTokens. */
  private truncate(e: EncodedText): EncodedText {
    const max = this.maxTokens;
    if (e.ids.length <= max) return e;
    const last = e.ids.length - 1;
    if (!this.specialIds.has(e.ids[last]!)) return { ids: e.ids.slice(0, max), typeIds: e.typeIds.slice(0, max) };
    return { ids: [...e.ids.slice(0, max - 1), e.ids[last]!], typeIds: [...e.typeIds.slice(0, max - 1), e.typeIds[last]!] };
  }
}
