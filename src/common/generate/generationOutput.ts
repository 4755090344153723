import type { FinishReason, TokenEvent } from './generateTypes.ts';
import { StopMatcher } from './stopMatcher.ts';

export interface TokenDecoder {
  decode(ids: readonly number[]): string;
}

const REPLACEMENT_CHAR = '\uFFFD';

/**
 * Turns a stream of token ids into a stream of text. A token can end in the middle of a UTF-8 character
 * (byte-level BPE) and a sentencepiece token's leading space depends on what precedes it, so each step
 * decodes a short window that starts one emitted step back and yields only the new, complete part.
 */
export class IncrementalDetokenizer {
  private readonly ids: number[] = [];
  private prefix = 0;
  private read = 0;
  private readonly decoder: TokenDecoder;

  constructor(decoder: TokenDecoder) {
    this.decoder = decoder;
  }

  push(id: number): string {
    this.ids.push(id);
    const before = this.decoder.decode(this.ids.slice(this.prefix, this.read));
    const after = this.decoder.decode(this.ids.slice(this.prefix));
    if (after.length <= before.length || after.endsWith(REPLACEMENT_CHAR)) return '';
    this.prefix = this.read;
    this.read = this.ids.length;
    return after.slice(before.length);
  }

  /** Text of tokens not yet emitted (an incomplete character decodes to U+FFFD). */
  flush(): string {
    const before = this.decoder.decode(this.ids.slice(this.prefix, this.read));
    const after = this.decoder.decode(this.ids.slice(this.prefix));
    this.prefix = this.read = this.ids.length;
    return after.slice(before.length);
  }
}

export interface OutputOptions {
  readonly decoder: TokenDecoder;
  /** eos and other ids that end the generation; they are not part of the output. */
  readonly stopIds: ReadonlySet<number>;
  readonly stop: readonly string[];
  readonly maxTokens: number;
  readonly onToken?: ((event: TokenEvent) => void) | undefined;
}

/** Collects generated tokens and text, applies eos / stop sequences / max tokens, and streams events. */
export class GenerationOutput {
  readonly tokenIds: number[] = [];
  private textSoFar = '';
  private reason: FinishReason | undefined;
  private readonly detok: IncrementalDetokenizer;
  private readonly matcher: StopMatcher;
  private readonly o: OutputOptions;

  constructor(o: OutputOptions) {
    this.o = o;
    this.detok = new IncrementalDetokenizer(o.decoder);
    this.matcher = new StopMatcher(o.stop);
    if (o.maxTokens <= 0) this.reason = 'length';
  }

  get done(): boolean {
    return this.reason !== undefined;
  }

  get finishReason(): FinishReason {
    return this.reason ?? 'length';
  }

  get text(): string {
    return this.textSoFar;
  }

  /** Tokens still allowed by maxTokens. */
  get remaining(): number {
    return Math.max(0, this.o.maxTokens - this.tokenIds.length);
  }

  /** Adds one generated token. Returns false once the generation is over (this token may have ended it). */
  push(id: number): boolean {
    if (this.reason) return false;
    if (this.o.stopIds.has(id)) {
      this.end('eos');
      return false;
    }
    this.tokenIds.push(id);
    const { emit, stopped } = this.matcher.push(this.detok.push(id));
    this.textSoFar += emit;
    this.o.onToken?.({ tokenId: id, text: emit });
    if (stopped) this.reason = 'stop';
    else if (this.tokenIds.length >= this.o.maxTokens) this.end('length');
    return !this.reason;
  }

  /** Ends the generation (if no token did) and emits any text still held back. */
  end(reason: FinishReason): void {
    if (this.reason === 'stop') return;
    this.reason ??= reason;
    const { emit, stopped } = this.matcher.push(this.detok.flush());
    const rest = stopped ? emit : emit + this.matcher.flush();
    if (stopped) this.reason = 'stop';
    if (!rest) return;
    this.textSoFar += rest;
    this.o.onToken?.({ text: rest });
  }
}
