import { readFileSync } from 'node:fs';

import { describe, expect, it } from 'vitest';

import { canonicalJson } from './canonical-json';
import { configKey, configKeyRequestHash, normalisePublicUrl } from './config-key';
import { examPolicySchema } from './policy';

// Expected hashes were computed outside this code, with coreutils:
//   printf '%s' '{"spellcheck":false,"version":1}' | sha256sum
//   printf '%s%s%s' 'https://exam.example.no/vakt' '/api/v1/client/records?batch=7' "$KEY" | sha256sum
//   sha256sum test/fixtures/default-policy.canonical.json
const SMALL_KEY = '6ffadc5ec67417da4cf255941e93c13a9b947238991a442c6b2c125a13a8bad8';
const REQUEST_HASH = 'c9400331b82d92b0134bce649aa3ca51b31e52b7b7f9fd7ba6aadebfb90c6c5d';
const DEFAULT_POLICY_KEY = '5ed82086871ba246089884cf48d5b1e1dd1cced16dfbf7770153a1d7aa96b447';

describe('config key', () => {
  it('is the sha256 of the canonical JSON of the policy', () => {
    expect(configKey({ version: 1, spellcheck: false })).toBe(SMALL_KEY);
  });

  it('does not depend on member order', () => {
    expect(configKey({ spellcheck: false, version: 1 })).toBe(SMALL_KEY);
  });

  it('changes when any setting changes', () => {
    expect(configKey({ version: 1, spellcheck: true })).not.toBe(SMALL_KEY);
  });

  it('of the default policy matches the canonical text on file', () => {
    const policy = examPolicySchema.parse({});
    const onFile = readFileSync(
      new URL('../../test/fixtures/default-policy.canonical.json', import.meta.url),
      'utf8',
    );
    expect(canonicalJson(policy)).toBe(onFile);
    expect(configKey(policy)).toBe(DEFAULT_POLICY_KEY);
  });
});

describe('config-key request hash', () => {
  it('hashes publicUrl ‖ pathAndQuery ‖ configKey', () => {
    expect(
      configKeyRequestHash(
        'https://exam.example.no/vakt',
        '/api/v1/client/records?batch=7',
        SMALL_KEY,
      ),
    ).toBe(REQUEST_HASH);
  });

  it('ignores a trailing slash on the public URL', () => {
    expect(
      configKeyRequestHash(
        'https://exam.example.no/vakt/',
        '/api/v1/client/records?batch=7',
        SMALL_KEY,
      ),
    ).toBe(REQUEST_HASH);
  });

  it('differs for another path or query', () => {
    const other = configKeyRequestHash(
      'https://exam.example.no/vakt',
      '/api/v1/client/records?batch=8',
      SMALL_KEY,
    );
    expect(other).not.toBe(REQUEST_HASH);
  });

  it('refuses a path without its leading slash and a public URL with a query', () => {
    expect(() => configKeyRequestHash('https://a.example', 'api', SMALL_KEY)).toThrow(
      'must start with "/"',
    );
    expect(() => normalisePublicUrl('https://a.example/?x=1')).toThrow('query');
    expect(() => normalisePublicUrl('ftp://a.example/')).toThrow('http or https');
  });
});
