import type { ChatTurn } from '../common/protocol/chatProtocol.ts';
import type { RenderedInfo } from './chat/chatViewProvider.ts';
import type { CompletionReason } from './completion/inlineCompletionProvider.ts';
import type { BackendInfo } from './services/backendHost.ts';
import type { RequestRecord } from './services/lastRequest.ts';
import type { IndexState, SearchOutcome } from './services/repoSearch.ts';

/**
 * What `activate` returns: a read-mostly view of the extension's state. Other extensions may read it;
 * the integration tests use it to wait for indexing and to check what the surfaces did.
 */
export interface SqueezeApi {
  readonly index: { readonly state: IndexState; whenIdle(): Promise<void> };
  readonly backend: () => BackendInfo;
  readonly lastRequest: () => RequestRecord | undefined;
  readonly lastCompletion: () => { readonly reason: CompletionReason; readonly ms: number } | undefined;
  /** Inline completion requests answered since activation, by reason code. */
  readonly completionCounts: () => Readonly<Partial<Record<CompletionReason, number>>>;
  readonly chat: { readonly resolved: boolean; readonly lastRendered: RenderedInfo | undefined; turns(): readonly ChatTurn[] };
  readonly statusText: () => string;
  /** Searches the workspace index (what the surfaces retrieve from). */
  search(query: string, k: number): Promise<SearchOutcome>;
}
