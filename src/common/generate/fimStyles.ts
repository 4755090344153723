/**
 * Fill-in-the-middle prompt formats of common code models, as data: the one table for local model folders
 * and HTTP servers. A model folder's FIM style is the first entry whose three marker tokens all exist in
 * its tokenizer (`detectFimStyle`); a server's model is matched by name (`fimStyleForModel`) when the
 * server has no `suffix` support and the prompt must carry the markers itself (`fimPromptText`). Local
 * prompts are assembled as a list of pieces (marker tokens and plain text) so the node layer can map
 * markers straight to token ids and never depends on the tokenizer recognising marker text inside user code.
 */
export interface FimStyle {
  readonly id: 'qwen' | 'starcoder' | 'deepseek' | 'codellama' | 'codegemma';
  readonly label: string;
  readonly prefix: string;
  readonly suffix: string;
  readonly middle: string;
  /** Tokens that end a FIM completion besides the model's eos (only those present in the vocabulary count). */
  readonly stops: readonly string[];
  /** Stop sequences sent to an HTTP server, as text that server decodes (no sentencepiece `▁`). */
  readonly serverStops: readonly string[];
  /** Model names, as servers report them (`qwen2.5-coder:1.5b`), that use this style. */
  readonly modelNames: RegExp;
  /** Text between the prefix marker and the prefix (CodeLlama puts a space there). */
  readonly prefixLead?: string;
}

export const FIM_STYLES: readonly FimStyle[] = [
  {
    id: 'qwen',
    label: 'Qwen2.5-Coder',
    prefix: '<|fim_prefix|>',
    suffix: '<|fim_suffix|>',
    middle: '<|fim_middle|>',
    stops: ['<|endoftext|>', '<|fim_pad|>', '<|file_sep|>', '<|repo_name|>', '<|im_end|>', '<|fim_prefix|>'],
    serverStops: ['<|endoftext|>', '<|fim_pad|>', '<|file_sep|>', '<|repo_name|>', '<|im_end|>'],
    modelNames: /qwen.*coder|codeqwen/i,
  },
  {
    id: 'starcoder',
    label: 'StarCoder',
    prefix: '<fim_prefix>',
    suffix: '<fim_suffix>',
    middle: '<fim_middle>',
    stops: ['<|endoftext|>', '<fim_pad>', '<file_sep>', '<fim_prefix>'],
    serverStops: ['<|endoftext|>', '<file_sep>'],
    modelNames: /starcoder|santacoder|stable-?code/i,
  },
  {
    id: 'deepseek',
    label: 'DeepSeek-Coder',
    prefix: '<｜fim▁begin｜>',
    suffix: '<｜fim▁hole｜>',
    middle: '<｜fim▁end｜>',
    stops: ['<｜end▁of▁sentence｜>', '<|EOT|>', '<｜fim▁begin｜>'],
    serverStops: ['<｜end▁of▁sentence｜>', '<|EOT|>'],
    modelNames: /deepseek.*coder/i,
  },
  {
    id: 'codellama',
    label: 'CodeLlama',
    prefix: '▁<PRE>',
    suffix: '▁<SUF>',
    middle: '▁<MID>',
    stops: ['▁<EOT>', '</s>'],
    serverStops: ['<EOT>', '</s>'],
    modelNames: /code-?llama/i,
    prefixLead: ' ',
  },
  {
    // Qwen's markers, so a local folder with them is detected as Qwen above; reached by model name on servers
    id: 'codegemma',
    label: 'CodeGemma',
    prefix: '<|fim_prefix|>',
    suffix: '<|fim_suffix|>',
    middle: '<|fim_middle|>',
    stops: ['<|file_separator|>', '<eos>'],
    serverStops: ['<|file_separator|>', '<eos>'],
    modelNames: /codegemma/i,
  },
];

/** The first style whose prefix, suffix and middle markers are all known to the tokenizer. */
export function detectFimStyle(hasToken: (token: string) => boolean): FimStyle | undefined {
  return FIM_STYLES.find((s) => hasToken(s.prefix) && hasToken(s.suffix) && hasToken(s.middle));
}

/** The style of a model an HTTP server names (first match in table order), if any. */
export function fimStyleForModel(modelName: string): FimStyle | undefined {
  return FIM_STYLES.find((s) => s.modelNames.test(modelName));
}

export type PromptPiece = { readonly special: string } | { readonly text: string };

/** Prefix-suffix-middle order, the order all these styles were trained with. */
export function fimPieces(style: FimStyle, prefix: string, suffix: string): PromptPiece[] {
  const pieces: PromptPiece[] = [{ special: style.prefix }];
  const lead = style.prefixLead ?? '';
  if (lead + prefix) pieces.push({ text: lead + prefix });
  pieces.push({ special: style.suffix });
  if (suffix) pieces.push({ text: suffix });
  pieces.push({ special: style.middle });
  return pieces;
}

/**
 * The same prompt as one string, for backends that tokenize themselves (HTTP `/v1/completions`). CodeLlama's
 * sentencepiece space mark becomes a space, giving its documented `<PRE> {prefix} <SUF>{suffix} <MID>`.
 */
export function fimPromptText(style: FimStyle, prefix: string, suffix: string): string {
  return fimPieces(style, prefix, suffix)
    .map((p) => ('special' in p ? p.special.replace(/^▁/, ' ') : p.text))
    .join('')
    .replace(/^ /, '');
}
