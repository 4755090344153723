import { Tokenizer } from '@huggingface/tokenizers';
import type { PromptPiece } from '../../common/generate/fimStyles.ts';
import type { TokenDecoder } from '../../common/generate/generationOutput.ts';

/**
 * The model's own tokenizer (`tokenizer.json` + `tokenizer_config.json`, run by @huggingface/tokenizers).
 * `encode` never adds special tokens; whole prompts (`encodePrompt`, `encodePieces`) start with the BOS
 * token when `tokenizer_config.json` says `add_bos_token: true` (Llama/CodeLlama style).
 */
export class ModelTokenizer implements TokenDecoder {
  private readonly tok: Tokenizer;
  /** Number of ids the tokenizer knows (regular + added). */
  readonly size: number;
  /** Prepended to whole prompts, when the tokenizer config asks for it. */
  readonly bosId: number | undefined;

  constructor(tokenizerJson: object, tokenizerConfig: object) {
    this.tok = new Tokenizer(tokenizerJson, tokenizerConfig);
    let max = -1;
    for (const id of this.tok.get_vocab(true).values()) max = Math.max(max, id);
    this.size = max + 1;
    const c = tokenizerConfig as { add_bos_token?: unknown; bos_token?: unknown };
    const bos = typeof c.bos_token === 'string' ? c.bos_token : (c.bos_token as { content?: string } | null)?.content;
    this.bosId = c.add_bos_token === true && bos ? this.tok.token_to_id(bos) : undefined;
  }

  /** A whole prompt from text: BOS (if the model wants it) + the encoded text. */
  encodePrompt(text: string): number[] {
    return this.encodePieces([{ text }]);
  }

  encode(text: string): number[] {
    return text ? this.tok.encode(text, { add_special_tokens: false }).ids : [];
  }

  /** Ids the tokenizer does not know (padding rows of the embedding) decode to nothing. */
  decode(ids: readonly number[]): string {
    return ids.length ? this.tok.decode([...ids]) : '';
  }

  tokenId(token: string): number | undefined {
    return this.tok.token_to_id(token);
  }

  hasToken(token: string): boolean {
    return this.tokenId(token) !== undefined;
  }

  /** A whole prompt: BOS if wanted, then marker pieces as their single token id and text pieces encoded. */
  encodePieces(pieces: readonly PromptPiece[]): number[] {
    const ids: number[] = this.bosId === undefined ? [] : [this.bosId];
    for (const p of pieces) {
      if ('text' in p) {
        ids.push(...this.encode(p.text));
        continue;
      }
      const id = this.tokenId(p.special);
      if (id === undefined) throw new Error(`the tokenizer has no token ${JSON.stringify(p.special)}`);
      ids.push(id);
    }
    return ids;
  }
}
