/**
 * Tokens too common in source code (and in English questions about it) to tell chunks apart: keywords of
 * the supported languages, the most frequent primitive type names, and English function words. Data, not code:
 * add a word here and every index built afterwards ignores it (bump HASHED_ENCODER_VERSION when you do).
 */
export const CODE_STOPWORDS: ReadonlySet<string> = new Set([
  // keywords shared by several of TypeScript/JavaScript, Python, Go, Java, Rust, C/C++, C#
  'abstract', 'as', 'async', 'await', 'break', 'case', 'catch', 'const', 'continue', 'def', 'default', 'defer',
  'del', 'do', 'elif', 'else', 'export', 'extends', 'final', 'finally', 'fn', 'for', 'from', 'func', 'function',
  'go', 'if', 'impl', 'implements', 'import', 'in', 'let', 'mut', 'namespace', 'new', 'nil', 'none', 'null',
  'package', 'pass', 'private', 'protected', 'pub', 'public', 'readonly', 'return', 'self', 'static', 'struct',
  'super', 'switch', 'then', 'this', 'throw', 'throws', 'true', 'false', 'try', 'type', 'typeof', 'undefined',
  'use', 'using', 'var', 'void', 'while', 'with', 'yield', 'instanceof', 'lambda', 'not', 'or', 'and', 'is',
  'crate', 'mod', 'where', 'override', 'virtual', 'include', 'define', 'endif', 'ifdef', 'ifndef',
  // primitive and ubiquitous type names
  'int', 'int32', 'int64', 'uint', 'float', 'float64', 'double', 'bool', 'boolean', 'string', 'str', 'char',
  'byte', 'long', 'short', 'number', 'any', 'unknown', 'object', 'err', 'usize', 'i32', 'i64', 'u8',
  'u32', 'u64', 'f64',
  // English function words (questions, comments, docs)
  'a', 'an', 'the', 'of', 'to', 'on', 'at', 'by', 'be', 'it', 'its', 'that', 'these', 'those', 'are',
  'was', 'were', 'has', 'have', 'had', 'how', 'what', 'where', 'which', 'who', 'why', 'when', 'does', 'can',
  'should', 'would', 'will', 'there', 'here', 'into', 'than', 'so', 'we', 'you', 'our', 'your', 'my', 'me',
  'i', 'all', 'some', 'get', 'set',
]);
