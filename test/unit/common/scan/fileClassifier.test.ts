import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  classifyByName,
  classifyText,
  hasGeneratedHeader,
  isBinaryContent,
  looksMinified,
} from '../../../../src/common/scan/fileClassifier.ts';
import { isExcludedDirName, isExcludedFileName } from '../../../../src/common/scan/builtInExcludes.ts';
import { findSecretInText, isSecretName } from '../../../../src/common/scan/secretRules.ts';

// Fake secrets are assembled at run time so that this file itself never matches a secret pattern.
const FAKE_AWS_KEY = 'AKIA' + 'ABCDEFGHIJKLMNOP';
const FAKE_GITHUB_TOKEN = 'ghp' + '_' + 'a1'.repeat(18);
const FAKE_SLACK_TOKEN = 'xox' + 'b-1234567890-abcdef';
const PRIVATE_KEY_HEADER = '-----BEGIN ' + 'RSA PRIVATE KEY-----';
const OPENSSH_KEY_HEADER = '-----BEGIN ' + 'OPENSSH PRIVATE KEY-----';

const BY_NAME: readonly [string, string | undefined][] = [
  ['src/index.ts', undefined],
  ['README.md', undefined],
  ['.env', 'SECRET'],
  ['config/.env.production', 'SECRET'],
  ['.env.example', 'SECRET'],
  ['deploy/server.pem', 'SECRET'],
  ['tls/site.KEY', 'SECRET'],
  ['certs/client.p12', 'SECRET'],
  ['android/release.keystore', 'SECRET'],
  ['home/.ssh/id_rsa', 'SECRET'],
  ['home/.ssh/id_ed25519.pub', 'SECRET'],
  ['.netrc', 'SECRET'],
  ['.npmrc', 'SECRET'],
  ['.pypirc', 'SECRET'],
  ['.aws/credentials', 'SECRET'],
  ['gcp/credentials.json', 'SECRET'],
  ['k8s/secrets.yaml', 'SECRET'],
  ['vault.kdbx', 'SECRET'],
  ['src/auth/credentials.ts', undefined],
  ['src/secretsProvider.ts', undefined],
  ['package-lock.json', 'LOCK_FILE'],
  ['web/yarn.lock', 'LOCK_FILE'],
  ['pnpm-lock.yaml', 'LOCK_FILE'],
  ['Cargo.lock', 'LOCK_FILE'],
  ['poetry.lock', 'LOCK_FILE'],
  ['Gemfile.lock', 'LOCK_FILE'],
  ['composer.lock', 'LOCK_FILE'],
  ['go.sum', 'LOCK_FILE'],
  ['bun.lockb', 'LOCK_FILE'],
  ['go.mod', undefined],
  ['static/app.min.js', 'MINIFIED'],
  ['static/app.MIN.CSS', 'MINIFIED'],
  ['api/service.pb.go', 'GENERATED'],
  ['api/service_pb2.py', 'GENERATED'],
  ['api/service_pb2_grpc.py', 'GENERATED'],
  ['src/Models.generated.ts', 'GENERATED'],
  ['obj/Form1.g.cs', 'GENERATED'],
  ['Form1.Designer.cs', 'GENERATED'],
  ['dist/app.js.map', 'GENERATED'],
  ['logo.png', 'BINARY'],
  ['fonts/Inter.woff2', 'BINARY'],
  ['model.onnx', 'BINARY'],
  ['icon.svg', undefined],
  ['.DS_Store', 'BUILT_IN_EXCLUDE'],
  ['sub/.git', 'BUILT_IN_EXCLUDE'],
];

test('classifyByName: secrets, lock files, minified, generated, binary extensions', () => {
  for (const [path, expected] of BY_NAME) assert.equal(classifyByName(path), expected, path);
});

test('classifyByName: a secret name wins over every other rule', () => {
  assert.equal(classifyByName('backup/.env.min.js'), 'SECRET');
  assert.equal(isSecretName('id_rsa.png'), true);
});

test('isExcludedDirName: fixed names, suffixes and contextual names', () => {
  for (const name of ['.git', 'node_modules', 'dist', 'build', 'out', '.venv', '__pycache__', 'vendor', '.squeeze']) {
    assert.equal(isExcludedDirName(name), true, name);
  }
  assert.equal(isExcludedDirName('mypkg.egg-info'), true);
  assert.equal(isExcludedDirName('src'), false);
  assert.equal(isExcludedDirName('bin'), false, 'bin of scripts is source');
  assert.equal(isExcludedDirName('bin', ['App.csproj', 'Program.cs']), true);
  assert.equal(isExcludedDirName('obj', ['App.sln']), true);
  assert.equal(isExcludedDirName('target'), false);
  assert.equal(isExcludedDirName('target', ['Cargo.toml', 'src']), true);
  assert.equal(isExcludedDirName('target', ['pom.xml']), true);
  assert.equal(isExcludedFileName('.git'), true);
  assert.equal(isExcludedFileName('git.ts'), false);
});

test('isBinaryContent: a NUL byte in the first 8 KiB, unless a UTF-16 BOM explains it', () => {
  const enc = new TextEncoder();
  assert.equal(isBinaryContent(enc.encode('plain text\n')), false);
  assert.equal(isBinaryContent(new Uint8Array([0x7f, 0x45, 0x4c, 0x46, 0, 1])), true);
  assert.equal(isBinaryContent(new Uint8Array([0xff, 0xfe, 0x41, 0x00])), false);
  assert.equal(isBinaryContent(new Uint8Array([0xfe, 0xff, 0x00, 0x41])), false);
  const lateNul = new Uint8Array(9000).fill(0x61);
  lateNul[8500] = 0;
  assert.equal(isBinaryContent(lateNul), false, 'only the first 8 KiB are sniffed');
  lateNul[8000] = 0;
  assert.equal(isBinaryContent(lateNul), true);
  assert.equal(isBinaryContent(new Uint8Array(0)), false);
});

test('findSecretInText: private keys and token formats', () => {
  assert.equal(findSecretInText(`x\n${PRIVATE_KEY_HEADER}\nMIIE...\n`), 'private key block');
  assert.equal(findSecretInText(OPENSSH_KEY_HEADER), 'private key block');
  assert.equal(findSecretInText('-----BEGIN ' + 'PRIVATE KEY-----'), 'private key block');
  assert.equal(findSecretInText('-----BEGIN ' + 'PGP PRIVATE KEY BLOCK-----'), 'private key block');
  assert.equal(findSecretInText(`const key = "${FAKE_AWS_KEY}";`), 'AWS access key id');
  assert.equal(findSecretInText(`token: ${FAKE_GITHUB_TOKEN}`), 'GitHub token');
  assert.equal(findSecretInText(`SLACK=${FAKE_SLACK_TOKEN}`), 'Slack token');
  assert.equal(findSecretInText('-----BEGIN ' + 'CERTIFICATE-----'), undefined, 'a certificate is public');
  assert.equal(findSecretInText('const AKIA = 1; // AKIA prefix alone'), undefined);
  assert.equal(findSecretInText('export function ghp_helper() {}'), undefined);
});

test('hasGeneratedHeader: markers in comments among the first lines only', () => {
  assert.equal(hasGeneratedHeader('// Code generated by protoc-gen-go. DO NOT EDIT.\npackage x\n'), true);
  assert.equal(hasGeneratedHeader('# -*- coding: utf-8 -*-\n# Generated by the protocol buffer compiler.  DO NOT EDIT!\n'), true);
  assert.equal(hasGeneratedHeader('/**\n * @generated\n */\nexport {};\n'), true);
  assert.equal(hasGeneratedHeader('// <auto-generated>\n//   This code was generated by a tool.\n'), true);
  assert.equal(hasGeneratedHeader('const note = "DO NOT EDIT";\n'), false, 'not in a comment');
  const late = 'x = 1\n'.repeat(20) + '// DO NOT EDIT\n';
  assert.equal(hasGeneratedHeader(late), false, 'too far down');
});

test('looksMinified: long text with a very long average line', () => {
  assert.equal(looksMinified('var a=1;'.repeat(300)), true);
  assert.equal(looksMinified('var a = 1;\n'.repeat(300)), false);
  assert.equal(looksMinified('x'.repeat(900)), false, 'short files are never minified');
});

test('classifyText: secret before generated before minified, undefined for normal code', () => {
  const generatedWithKey = `// @generated\nconst k = "${FAKE_AWS_KEY}";\n`;
  assert.deepEqual(classifyText(generatedWithKey), { reason: 'SECRET', detail: 'AWS access key id' });
  assert.equal(classifyText('// @generated\nexport const x = 1;\n')?.reason, 'GENERATED');
  assert.equal(classifyText('a=1;'.repeat(600))?.reason, 'MINIFIED');
  assert.equal(classifyText('export function add(a: number, b: number) {\n  return a + b;\n}\n'), undefined);
});
