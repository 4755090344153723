"""Deterministic generators for small tokenizer.json files that @huggingface/tokenizers loads.

* `byte_bpe(...)`: a Qwen2-style byte-level BPE (NFC, Split regex + ByteLevel, BPE merges learned on the
  embedded code corpus below, then filler tokens up to the requested size) with special tokens.
* `word_piece(...)`: a bert-uncased-style WordPiece vocabulary (single characters, their ## forms, then
  the most frequent corpus words).

No randomness is used: ties are broken by the pair's text, so every run writes byte-identical files.
"""
import re
from collections import Counter

# Code-like text the BPE merges are learned from. Any text works; code makes the merges look like a code
# model's (indentation runs, `self`, `return`, operators).
CORPUS = '''
def fibonacci(n):
    """Return the n-th Fibonacci number."""
    if n < 2:
        return n
    return fibonacci(n - 1) + fibonacci(n - 2)


class Stack:
    def __init__(self):
        self.items = []

    def push(self, item):
        self.items.append(item)

    def pop(self):
        return self.items.pop()

    def is_empty(self):
        return len(self.items) == 0


def read_lines(path):
    with open(path, "r", encoding="utf-8") as f:
        for line in f:
            yield line.rstrip("\\n")


export function parseConfig(text: string): Record<string, string> {
  const result: Record<string, string> = {};
  for (const line of text.split('\\n')) {
    const index = line.indexOf('=');
    if (index < 0) continue;
    result[line.slice(0, index).trim()] = line.slice(index + 1).trim();
  }
  return result;
}

export class Counter {
  private count = 0;
  increment(): number {
    this.count += 1;
    return this.count;
  }
  reset(): void {
    this.count = 0;
  }
}

async function fetchJson(url: string): Promise<unknown> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`request failed: ${response.status}`);
  return response.json();
}

function binarySearch(values: number[], target: number): number {
  let low = 0;
  let high = values.length - 1;
  while (low <= high) {
    const mid = (low + high) >> 1;
    if (values[mid] === target) return mid;
    if (values[mid] < target) low = mid + 1;
    else high = mid - 1;
  }
  return -1;
}

public static int max(int[] array) {
    int best = array[0];
    for (int i = 1; i < array.length; i++) {
        if (array[i] > best) {
            best = array[i];
        }
    }
    return best;
}

func sum(values []int) int {
    total := 0
    for _, v := range values {
        total += v
    }
    return total
}

fn main() {
    let mut map = HashMap::new();
    for word in text.split_whitespace() {
        *map.entry(word).or_insert(0) += 1;
    }
    println!("{:?}", map);
}
'''

# Qwen2's pre-tokenizer split pattern (the Rust/Oniguruma form that tokenizers.js translates).
QWEN_SPLIT = (r"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*"
              r"|\s*[\r\n]+|\s+(?!\S)|\s+")
# An ASCII approximation of the same split, used only to learn merges in Python (no `regex` module needed).
_TRAIN_SPLIT = re.compile(r"'s|'t|'re|'ve|'m|'ll|'d|[^\r\nA-Za-z0-9]?[A-Za-z]+|[0-9]| ?[^\sA-Za-z0-9]+[\r\n]*"
                          r"|\s*[\r\n]+|\s+(?!\S)|\s+")


def bytes_to_unicode():
    """The byte -> printable character table of byte-level BPE (printable Latin-1 maps to itself)."""
    keep = list(range(ord('!'), ord('~') + 1)) + list(range(ord('¡'), ord('¬') + 1)) + list(range(ord('®'), ord('ÿ') + 1))
    table, extra = {}, 0
    for b in range(256):
        if b in keep:
            table[b] = chr(b)
        else:
            table[b] = chr(256 + extra)
            extra += 1
    return table


def _learn_merges(n_tokens):
    b2u = bytes_to_unicode()
    words = Counter(tuple(b2u[b] for b in w.encode('utf-8')) for w in _TRAIN_SPLIT.findall(CORPUS))
    vocab = [b2u[b] for b in range(256)]
    seen, merges = set(vocab), []
    while len(vocab) < n_tokens:
        pairs = Counter()
        for w, c in words.items():
            for a, b in zip(w, w[1:]):
                pairs[(a, b)] += c
        if not pairs:
            break
        best = min(pairs, key=lambda p: (-pairs[p], p))
        merged = best[0] + best[1]
        merges.append(best)
        if merged not in seen:
            seen.add(merged)
            vocab.append(merged)
        words = Counter({_merge_word(w, best, merged): c for w, c in words.items()})
    return vocab, merges, seen


def _merge_word(word, pair, merged):
    out, i = [], 0
    while i < len(word):
        if i + 1 < len(word) and (word[i], word[i + 1]) == pair:
            out.append(merged)
            i += 2
        else:
            out.append(word[i])
            i += 1
    return tuple(out)


def _fillers(count, seen):
    """Unreachable but decodable tokens ('Ġ' + three letters) so that every model id decodes to text."""
    out, i = [], 0
    letters = 'abcdefghijklmnopqrstuvwxyz'
    while len(out) < count:
        t, n = 'Ġ', i
        for _ in range(3 + i // 17576):
            t += letters[n % 26]
            n //= 26
        i += 1
        if t not in seen:
            seen.add(t)
            out.append(t)
    return out


def _added(token_id, content, special=True):
    return {'id': token_id, 'content': content, 'single_word': False, 'lstrip': False, 'rstrip': False,
            'normalized': False, 'special': special}


def byte_bpe(vocab_size, specials, specials_first=False, max_merges=None):
    """A byte-level BPE tokenizer with exactly `vocab_size` ids: `specials` at the start or the end."""
    n_regular = vocab_size - len(specials)
    vocab, merges, seen = _learn_merges(min(n_regular, max_merges or n_regular))
    vocab += _fillers(n_regular - len(vocab), seen)
    base = len(specials) if specials_first else 0
    ids = {t: base + i for i, t in enumerate(vocab)}
    first_special = 0 if specials_first else n_regular
    added = [_added(first_special + i, s) for i, s in enumerate(specials)]
    byte_level = {'type': 'ByteLevel', 'add_prefix_space': False, 'trim_offsets': False, 'use_regex': False}
    tokenizer = {
        'version': '1.0', 'truncation': None, 'padding': None, 'added_tokens': added,
        'normalizer': {'type': 'NFC'},
        'pre_tokenizer': {'type': 'Sequence', 'pretokenizers': [
            {'type': 'Split', 'pattern': {'Regex': QWEN_SPLIT}, 'behavior': 'Isolated', 'invert': False}, byte_level]},
        'post_processor': byte_level, 'decoder': byte_level,
        'model': {'type': 'BPE', 'dropout': None, 'unk_token': None, 'continuing_subword_prefix': '',
                  'end_of_word_suffix': '', 'fuse_unk': False, 'byte_fallback': False, 'ignore_merges': False,
                  'vocab': ids, 'merges': [[a, b] for a, b in merges]},
    }
    return tokenizer, {a['content']: a['id'] for a in added}


def bpe_tokenizer_config(special_ids, eos, max_length):
    decoder = {str(i): {k: v for k, v in _added(i, s).items() if k != 'id'} for s, i in special_ids.items()}
    return {'add_bos_token': False, 'add_prefix_space': False, 'added_tokens_decoder': decoder, 'bos_token': None,
            'eos_token': eos, 'pad_token': eos, 'unk_token': None, 'model_max_length': max_length,
            'additional_special_tokens': [s for s in special_ids if s != eos], 'clean_up_tokenization_spaces': False,
            'split_special_tokens': False, 'errors': 'replace', 'tokenizer_class': 'Qwen2Tokenizer'}


BERT_SPECIALS = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]']


def word_piece(vocab_size):
    """A lower-cased WordPiece tokenizer of `vocab_size` ids over the corpus; every word is encodable."""
    printable = [chr(c) for c in range(33, 127) if not chr(c).isupper()]
    chars = sorted(set(printable) | set(c for c in CORPUS.lower() if not c.isspace()))
    tokens = BERT_SPECIALS + chars + ['##' + c for c in chars]
    words = Counter(re.findall(r'[a-z0-9]+', CORPUS.lower()))
    for w, _ in sorted(words.items(), key=lambda kv: (-kv[1], kv[0])):
        if len(tokens) >= vocab_size:
            break
        if w not in tokens:
            tokens.append(w)
    tokens += [f'[unused{i}]' for i in range(vocab_size - len(tokens))]
    vocab = {t: i for i, t in enumerate(tokens)}
    cls, sep = vocab['[CLS]'], vocab['[SEP]']
    seq = lambda name, t: {'Sequence': {'id': name, 'type_id': t}}
    spec = lambda name, t: {'SpecialToken': {'id': name, 'type_id': t}}
    tokenizer = {
        'version': '1.0', 'truncation': None, 'padding': None,
        'added_tokens': [_added(vocab[s], s) for s in BERT_SPECIALS],
        'normalizer': {'type': 'BertNormalizer', 'clean_text': True, 'handle_chinese_chars': True,
                       'strip_accents': None, 'lowercase': True},
        'pre_tokenizer': {'type': 'BertPreTokenizer'},
        'post_processor': {'type': 'TemplateProcessing',
                           'single': [spec('[CLS]', 0), seq('A', 0), spec('[SEP]', 0)],
                           'pair': [spec('[CLS]', 0), seq('A', 0), spec('[SEP]', 0), seq('B', 1), spec('[SEP]', 1)],
                           'special_tokens': {'[CLS]': {'id': '[CLS]', 'ids': [cls], 'tokens': ['[CLS]']},
                                              '[SEP]': {'id': '[SEP]', 'ids': [sep], 'tokens': ['[SEP]']}}},
        'decoder': {'type': 'WordPiece', 'prefix': '##', 'cleanup': True},
        'model': {'type': 'WordPiece', 'unk_token': '[UNK]', 'continuing_subword_prefix': '##',
                  'max_input_chars_per_word': 100, 'vocab': vocab},
    }
    config = {'tokenizer_class': 'BertTokenizer', 'do_lower_case': True, 'model_max_length': 512,
              'cls_token': '[CLS]', 'sep_token': '[SEP]', 'pad_token': '[PAD]', 'unk_token': '[UNK]',
              'mask_token': '[MASK]'}
    return tokenizer, config
