import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GRAMMARS, LANGUAGES, languageForPath, languageSpec, normalizeLanguageId } from '../../../../src/common/chunk/languages.ts';

test('languageForPath: every extension of the brief maps to its language', () => {
  const cases: Record<string, string> = {
    'a.ts': 'typescript', 'a.mts': 'typescript', 'a.cts': 'typescript', 'x.d.ts': 'typescript',
    'a.tsx': 'typescriptreact', 'a.js': 'javascript', 'a.mjs': 'javascript', 'a.cjs': 'javascript', 'a.jsx': 'javascriptreact',
    'a.py': 'python', 'a.pyi': 'python', 'A.java': 'java', 'a.go': 'go', 'a.rs': 'rust', 'a.c': 'c', 'a.h': 'c',
    'a.cc': 'cpp', 'a.cpp': 'cpp', 'a.cxx': 'cpp', 'a.hpp': 'cpp', 'a.hh': 'cpp', 'a.hxx': 'cpp', 'a.cs': 'csharp',
    'README.md': 'markdown', 'p.json': 'json', 'c.yaml': 'yaml', 'c.yml': 'yaml', 's.sh': 'shellscript', 'r.rb': 'ruby',
    'i.php': 'php', 'Makefile': 'makefile', 'Dockerfile': 'dockerfile', 'src\\win\\A.CS': 'csharp',
    'noext': 'plaintext', 'weird.zzz': 'plaintext', '.gitignore': 'plaintext',
  };
  for (const [path, id] of Object.entries(cases)) assert.equal(languageForPath(path), id, path);
});

test('grammars: the ten parsed languages, with grammar and query names; aliases', () => {
  assert.deepEqual([...GRAMMARS].sort(), ['c', 'c_sharp', 'cpp', 'go', 'java', 'javascript', 'python', 'rust', 'tsx', 'typescript']);
  assert.equal(LANGUAGES.csharp?.grammar, 'c_sharp');
  assert.equal(LANGUAGES.javascriptreact?.grammar, 'javascript');
  assert.equal(languageSpec('python')?.bodyMarker, 'indent');
  assert.equal(languageSpec('ruby')?.grammar, undefined);
  assert.equal(normalizeLanguageId('tsx'), 'typescriptreact');
  assert.equal(normalizeLanguageId('C_Sharp'), 'csharp');
  assert.equal(normalizeLanguageId('Kotlin'), 'kotlin');
});
