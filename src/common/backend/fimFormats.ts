/**
 * Fill-in-the-middle prompt formats of common code models, as data. Used by the HTTP backend when the
 * server has no `suffix` support and the prompt must carry the FIM tokens itself.
 */
export interface FimFormat {
  readonly id: string;
  /** The prompt with `{prefix}` and `{suffix}` placeholders (prefix-suffix-middle order). */
  readonly template: string;
  /** End-of-infill markers to add to the stop sequences. */
  readonly stop: readonly string[];
}

interface FimFormatRule {
  readonly pattern: RegExp;
  readonly format: FimFormat;
}

const QWEN: FimFormat = {
  id: 'qwen',
  template: '<|fim_prefix|>{prefix}<|fim_suffix|>{suffix}<|fim_middle|>',
  stop: ['<|endoftext|>', '<|fim_pad|>', '<|file_sep|>', '<|repo_name|>', '<|im_end|>'],
};

const STARCODER: FimFormat = {
  id: 'starcoder',
  template: '<fim_prefix>{prefix}<fim_suffix>{suffix}<fim_middle>',
  stop: ['<|endoftext|>', '<file_sep>'],
};

const DEEPSEEK: FimFormat = {
  id: 'deepseek',
  template: '<｜fim▁begin｜>{prefix}<｜fim▁hole｜>{suffix}<｜fim▁end｜>',
  stop: ['<｜end▁of▁sentence｜>', '<|EOT|>'],
};

const CODELLAMA: FimFormat = {
  id: 'codellama',
  template: '<PRE> {prefix} <SUF>{suffix} <MID>',
  stop: ['<EOT>', '</s>'],
};

const CODEGEMMA: FimFormat = { ...QWEN, id: 'codegemma', stop: ['<|file_separator|>', '<eos>'] };

/** First match wins; matched against the server's model name (e.g. `qwen2.5-coder:1.5b`). */
export const FIM_FORMAT_RULES: readonly FimFormatRule[] = [
  { pattern: /qwen.*coder|codeqwen/i, format: QWEN },
  { pattern: /starcoder|santacoder|stable-?code/i, format: STARCODER },
  { pattern: /deepseek.*coder/i, format: DEEPSEEK },
  { pattern: /code-?llama/i, format: CODELLAMA },
  { pattern: /codegemma/i, format: CODEGEMMA },
];

export const FIM_FORMATS: Readonly<Record<string, FimFormat>> = {
  qwen: QWEN,
  starcoder: STARCODER,
  deepseek: DEEPSEEK,
  codellama: CODELLAMA,
  codegemma: CODEGEMMA,
};

export function fimFormatForModel(modelName: string): FimFormat | undefined {
  return FIM_FORMAT_RULES.find((r) => r.pattern.test(modelName))?.format;
}

/** Fills the template in one pass, so a `{suffix}` inside the user's prefix is left alone. */
export function formatFimPrompt(prefix: string, suffix: string, format: FimFormat): string {
  return format.template.replace(/\{(prefix|suffix)\}/g, (_m, name: string) => (name === 'prefix' ? prefix : suffix));
}
