// A seeded stand-in for a code index: chunks made of identifiers from one of several topics plus common
// words, encoded by the hashed encoder with IDF like the indexer does; queries are four words of fresh
// chunks (never indexed ones).
import { HashedEncoder } from '../../../../src/common/encode/hashedEncoder.ts';
import { Prng } from '../../../../src/common/index/prng.ts';

export interface TopicCorpus {
  readonly texts: string[];
  readonly vectors: Float32Array;
  readonly queries: string[];
  readonly encoder: HashedEncoder;
}

const syllables = ['ka', 'lo', 'mi', 'ne', 'ru', 'ta', 'vo', 'zi', 'pe', 'su', 'do', 'fa', 'gu', 'hi', 'jo', 'be'];

function word(rng: Prng): string {
  let w = '';
  for (let i = 0, n = 2 + rng.int(3); i < n; i++) w += syllables[rng.int(syllables.length)]!;
  return w;
}

/** `n` chunks over `topics` topics (dim 256 keeps the tests fast), and `queries` queries. */
export function topicCorpus(seed: number, o: { n: number; topics: number; queries: number; dim?: number }): TopicCorpus {
  const rng = new Prng(seed);
  const vocab = Array.from({ length: o.topics }, () => Array.from({ length: 25 }, () => `${word(rng)}${word(rng)}`));
  const common = Array.from({ length: 40 }, () => word(rng));
  const text = (topic: number, words: number, share: number): string =>
    Array.from({ length: words }, () => (rng.next() < share ? vocab[topic]![rng.int(25)]! : common[rng.int(common.length)]!)).join(' ');
  const texts = Array.from({ length: o.n }, (_, i) => text(i % o.topics, 30, 0.7));
  // A query: four words of a fresh chunk (one not in the index) of some topic, like a search for names.
  const queries = Array.from({ length: o.queries }, (_, i) => {
    const words = [...new Set(text((i * 7) % o.topics, 30, 0.7).split(' '))];
    return Array.from(rng.sample(words.length, 4), (j) => words[j]!).join(' ');
  });
  const plain = new HashedEncoder({ dim: o.dim ?? 256 });
  const encoder = plain.withIdf(plain.fitIdf(texts));
  return { texts, vectors: encoder.encodeMatrix(texts), queries, encoder };
}
