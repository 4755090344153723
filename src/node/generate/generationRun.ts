import type { CancellationToken } from '../../common/cancellation.ts';
import { throwIfCancelled } from '../../common/cancellation.ts';
import type { TokenRange } from '../../common/generate/independentRanges.ts';
import type { GenerationOutput } from '../../common/generate/generationOutput.ts';
import { DraftLength } from '../../common/generate/promptLookup.ts';
import type { DraftSource, PromptLookupOptions } from '../../common/generate/promptLookup.ts';
import { acceptDraft, sampleToken } from '../../common/generate/sampling.ts';
import type { Rng, SamplingOptions } from '../../common/generate/sampling.ts';
import { concatCaches, type ChunkKvStore } from '../context/chunkKv.ts';
import type { DecoderModel, LogitsWanted } from './decoderSession.ts';
import type { CachedSequence } from './prefixCache.ts';

export interface RunSetup {
  readonly model: DecoderModel;
  /** The prefix cache's sequence, already cut to the reused prefix; extended in place as tokens are run. */
  readonly seq: CachedSequence;
  readonly ids: readonly number[];
  readonly positions: readonly number[];
  readonly prefillChunk: number;
  readonly contextLength: number;
  readonly sampling: SamplingOptions;
  readonly rng: Rng;
  /** Speculative decoding: the draft length policy and where drafts come from (undefined: off). */
  readonly speculative: { readonly lengths: PromptLookupOptions; readonly draft: DraftSource } | undefined;
  readonly output: GenerationOutput;
  readonly token: CancellationToken | undefined;
  /** Independent chunks of the prompt and the store their caches come from (undefined: every token is run). */
  readonly chunks?: { readonly ranges: readonly TokenRange[]; readonly store: ChunkKvStore };
}

export interface RunCounters {
  forwardPasses: number;
  draftedTokens: number;
  acceptedDraftTokens: number;
  prefillEnd: number;
  firstTokenAt: number;
  /** Prompt tokens run through forward passes of this request (chunk-cache misses not included). */
  prefilledTokens: number;
}

/**
 * One request's forward passes: chunked prefill of the prompt past the reused prefix, then decoding, one
 * token per pass or a prompt-lookup draft verified in one pass. Cancellation is checked before every pass.
 */
export class GenerationRun {
  readonly counters: RunCounters = { forwardPasses: 0, draftedTokens: 0, acceptedDraftTokens: 0, prefillEnd: 0, firstTokenAt: 0, prefilledTokens: 0 };
  private readonly s: RunSetup;
  private readonly history: number[];
  private readonly draftLength: DraftLength | undefined;
  private pending = -1;
  private nextPosition: number;

  constructor(s: RunSetup) {
    this.s = s;
    this.history = [...s.ids];
    this.draftLength = s.speculative ? new DraftLength(s.speculative.lengths) : undefined;
    this.nextPosition = (s.positions[s.positions.length - 1] ?? -1) + 1;
  }

  async run(): Promise<void> {
    const { output } = this.s;
    const last = await this.prefill();
    this.counters.prefillEnd = performance.now();
    if (output.done) return;
    this.emit(sampleToken(last, this.s.sampling, this.s.rng));
    this.counters.firstTokenAt = performance.now();
    while (!output.done) {
      if (this.nextPosition >= this.s.contextLength) return output.end('length');
      const want = this.draftLength?.next() ?? 0;
      const max = want > 0 ? this.clampDraft(want) : 0;
      const draft = max > 0 ? this.s.speculative!.draft(this.history, max).slice(0, max) : [];
      if (draft.length > 0) await this.speculativeStep(draft);
      else await this.plainStep();
    }
  }

  /** Runs tokens at the end of the cached sequence and records them there. */
  private async forward(ids: readonly number[], positions: readonly number[], logits: LogitsWanted) {
    throwIfCancelled(this.s.token);
    const r = await this.s.model.forward(ids, positions, this.s.seq.kv, logits);
    this.counters.forwardPasses++;
    this.s.seq.kv = r.cache;
    this.s.seq.ids.push(...ids);
    this.s.seq.positions.push(...positions);
    for (let i = 0; i < ids.length; i++) this.s.seq.from.push(0);
    return r;
  }

  /**
   * Runs the prompt past the reused prefix in pieces of `prefillChunk`; a run of independent chunks that starts
   * where the sequence ends is placed from the chunk store instead (never the chunk holding the last token,
   * whose logits are needed).
   */
  private async prefill(): Promise<Float32Array> {
    const { ids, positions, prefillChunk } = this.s;
    let logits: Float32Array = new Float32Array(0);
    let at = this.s.seq.ids.length;
    while (at < ids.length) {
      const run = this.placeableRun(at);
      if (run.length > 0) {
        at = await this.place(run);
        continue;
      }
      const end = Math.min(ids.length, at + prefillChunk, this.nextPlaceable(at));
      const r = await this.forward(ids.slice(at, end), positions.slice(at, end), end === ids.length ? 'last' : 'none');
      this.counters.prefilledTokens += end - at;
      logits = r.logits;
      at = end;
    }
    return logits;
  }

  private placeable(r: TokenRange): boolean {
    return r.end < this.s.ids.length;
  }

  /** The independent chunks that follow each other from `at` on. */
  private placeableRun(at: number): TokenRange[] {
    const run: TokenRange[] = [];
    for (const r of this.s.chunks?.ranges ?? []) {
      if (r.start === at && this.placeable(r)) {
        run.push(r);
        at = r.end;
      }
    }
    return run;
  }

  private nextPlaceable(at: number): number {
    return this.s.chunks?.ranges.find((r) => r.start > at && this.placeable(r))?.start ?? Infinity;
  }

  /** Appends the chunks' caches, each re-rotated to its first position; returns the index after them. */
  private async place(run: readonly TokenRange[]): Promise<number> {
    const { ids, positions, seq } = this.s;
    const store = this.s.chunks!.store;
    const parts = [seq.kv];
    for (const r of run) {
      throwIfCancelled(this.s.token);
      parts.push(await store.place(ids.slice(r.start, r.end), positions[r.start]!));
    }
    seq.kv = concatCaches(seq.kv.layout, parts);
    for (const r of run) {
      seq.ids.push(...ids.slice(r.start, r.end));
      seq.positions.push(...positions.slice(r.start, r.end));
      for (let i = r.start; i < r.end; i++) seq.from.push(r.start);
    }
    return run[run.length - 1]!.end;
  }

  private emit(tokenId: number): boolean {
    this.pending = tokenId;
    this.history.push(tokenId);
    return this.s.output.push(tokenId);
  }

  private async plainStep(): Promise<void> {
    const r = await this.forward([this.pending], [this.nextPosition++], 'last');
    this.emit(sampleToken(r.logits, this.s.sampling, this.s.rng));
  }

  /** Drafts never reach past the trained context or past max tokens (accepted drafts + 1 bonus token). */
  private clampDraft(want: number): number {
    const room = this.s.contextLength - this.nextPosition - 1;
    const left = this.s.output.remaining - 1;
    return Math.max(0, Math.min(want, room, left));
  }

  private async speculativeStep(draft: readonly number[]): Promise<void> {
    const before = this.s.seq.ids.length;
    const fed = [this.pending, ...draft];
    const r = await this.forward(fed, fed.map((_, i) => this.nextPosition + i), 'all');
    const vocab = r.logits.length / r.rows;
    let accepted = 0;
    let next = -1;
    for (; accepted < draft.length; accepted++) {
      const verdict = acceptDraft(r.logits.subarray(accepted * vocab, (accepted + 1) * vocab), draft[accepted]!, this.s.sampling, this.s.rng);
      if (!verdict.accepted) {
        next = verdict.token;
        break;
      }
    }
    if (next < 0) next = sampleToken(r.logits.subarray(draft.length * vocab), this.s.sampling, this.s.rng);
    this.rollback(before + 1 + accepted);
    this.nextPosition += 1 + accepted;
    this.counters.draftedTokens += draft.length;
    this.counters.acceptedDraftTokens += accepted;
    this.draftLength?.record(draft.length, accepted);
    for (let i = 0; i < accepted; i++) if (!this.emit(draft[i]!)) return;
    this.emit(next);
  }

  /** Drops rejected draft tokens from the cache: slices the past tensors along the sequence axis. */
  private rollback(length: number): void {
    const seq = this.s.seq;
    if (seq.ids.length <= length) return;
    seq.kv = seq.kv.truncate(length);
    seq.ids.length = length;
    seq.positions.length = length;
    seq.from.length = length;
  }
}
