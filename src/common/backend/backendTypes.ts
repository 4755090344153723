import type { CancellationToken } from '../cancellation.ts';
import type { FimStyle } from '../generate/fimStyles.ts';

/** Shared request and result shapes of every text-generation backend (HTTP or local ONNX). */

export type ChatRole = 'system' | 'user' | 'assistant';

export interface ChatMessage {
  readonly role: ChatRole;
  readonly content: string;
}

export interface SamplingOptions {
  /** Server-side model name; when absent the backend uses its configured or first listed model. */
  readonly model?: string;
  readonly maxTokens?: number;
  readonly temperature?: number;
  readonly topP?: number;
  readonly stop?: readonly string[];
}

export interface RawRequest {
  readonly kind: 'raw';
  readonly prompt: string;
  readonly options?: SamplingOptions;
}

/** A retrieved piece of a completion prompt: its text as it appears in the prefix (separator included). */
export interface ContextPiece {
  /** What it is, for reports (`path:start-end`); the local decoder keys its chunk cache by the token ids. */
  readonly key: string;
  readonly text: string;
}

/**
 * The structure of a FIM prefix: `lead`, then every piece in order, then `local` (file header and the text
 * before the cursor). Their concatenation (`fimContextPrefix`) is the request's `prefix`.
 */
export interface FimContext {
  readonly lead: string;
  readonly pieces: readonly ContextPiece[];
  readonly local: string;
}

export interface FimRequest {
  readonly kind: 'fim';
  /** The whole text before the cursor, as HTTP servers get it (with `context`: `fimContextPrefix(context)`). */
  readonly prefix: string;
  readonly suffix: string;
  /** The prefix split into retrieved pieces, so the local decoder can encode them apart (`parallel` positions). */
  readonly context?: FimContext;
  /** The model's fill-in-the-middle tokens; guessed from the model name when absent. */
  readonly fimFormat?: FimStyle;
  readonly options?: SamplingOptions;
}

export interface ChatRequest {
  readonly kind: 'chat';
  readonly messages: readonly ChatMessage[];
  readonly options?: SamplingOptions;
}

export type BackendRequest = RawRequest | FimRequest | ChatRequest;

export interface TokenUsage {
  readonly promptTokens?: number;
  readonly completionTokens?: number;
}

/** How the local decoder laid out and ran a prompt (HTTP servers do not say). */
export interface PromptRun {
  readonly policy: 'sequential' | 'grouped' | 'parallel';
  readonly promptTokens: number;
  /** Tokens run through the model for this request. */
  readonly prefillTokens: number;
  /** Tokens whose KV came from the previous request's prefix. */
  readonly reusedTokens: number;
  /** Tokens of retrieved pieces whose KV came from the chunk cache (re-rotated). */
  readonly chunkCacheTokens: number;
  /** Per segment of the prompt: its kind, token count and first..last position id. */
  readonly segments: readonly { readonly kind: string; readonly tokens: number; readonly first: number; readonly last: number }[];
}

export interface CompletionResult {
  readonly text: string;
  /** As the server reports it (`stop`, `length`, ...); null when it sent none. */
  readonly finishReason: string | null;
  readonly model?: string;
  readonly usage?: TokenUsage;
  readonly prompt?: PromptRun;
}

export interface StreamCall {
  /** Receives each text piece as it arrives. */
  readonly onText: (delta: string) => void;
  readonly token?: CancellationToken;
}

/** What the surfaces need from a generator; implemented by the HTTP client and the local decoder. */
export interface TextBackend {
  /** Non-streaming: resolves with the whole text. */
  complete(request: BackendRequest, token?: CancellationToken): Promise<CompletionResult>;
  /** Streaming: calls `onText` per piece and resolves with the whole text at the end. */
  stream(request: BackendRequest, call: StreamCall): Promise<CompletionResult>;
}
