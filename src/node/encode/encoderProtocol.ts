/**
 * Messages between an OnnxEncoder (the client, on the caller's thread) and its host (in the encoder
 * worker, or in-process). Everything here is structured-clone safe plain data.
 */
import type { LogLevel } from '../../common/log.ts';
import type { ExecutionProvider, ProviderAttempt, ProviderSetting } from '../generate/sessionFactory.ts';
import type { EncoderFolder } from './encoderFolder.ts';

export interface EncoderInit {
  readonly folder: EncoderFolder;
  readonly provider: ProviderSetting;
  /** Exact providers to try in order (tests inject a failing one); overrides `provider`. */
  readonly providers?: readonly ExecutionProvider[];
  /** Intra-op threads; default: every core. */
  readonly threads?: number;
  /** Texts per model run. */
  readonly batchSize: number;
  /** Whether idle onnxruntime threads spin (see SessionFactoryOptions.spinning). */
  readonly spinning: boolean;
}

export interface EncoderReady {
  readonly dim: number;
  readonly provider: ExecutionProvider;
  /** Providers tried before the one in use, with the reason each failed or was skipped. */
  readonly failed: readonly ProviderAttempt[];
  readonly hasTokenTypes: boolean;
}

export type EncoderRequest =
  | { readonly type: 'init'; readonly init: EncoderInit }
  | { readonly type: 'encode'; readonly id: number; readonly texts: readonly string[] }
  | { readonly type: 'cancel'; readonly id: number };

export type EncoderResponse =
  | { readonly type: 'ready'; readonly info: EncoderReady }
  | { readonly type: 'initFailed'; readonly name: string; readonly message: string }
  /**
   * One model batch done: `vectors` holds `indices.length` rows of `dim` floats, row k for text indices[k];
   * `runMs` is the time spent in onnxruntime's session.run for it.
   */
  | { readonly type: 'batch'; readonly id: number; readonly indices: readonly number[]; readonly vectors: Float32Array; readonly runMs: number }
  | { readonly type: 'done'; readonly id: number }
  | { readonly type: 'failed'; readonly id: number; readonly message: string; readonly cancelled: boolean }
  | { readonly type: 'log'; readonly level: LogLevel; readonly message: string };
