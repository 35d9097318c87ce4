import { randomUUID } from 'node:crypto';

import { CLIENT_ROUTES, type SignedExamPackage } from '../../src/common/api';
import { configKey, configKeyRequestHash, CONFIG_KEY_HEADER } from '../../src/common/config-key';

/** A candidate signed in over real HTTP, with the exam package fetched (tests, benchmarks). */
export interface HttpCandidate {
  journalId: string;
  token: string;
  /** Headers for a JSON request to `path`: token and config-key hash. */
  headers(path: string): Record<string, string>;
}

export async function signInOverHttp(
  base: string,
  publicUrl: string,
  credentials = { examCode: 'TEST-1', candidateNumber: '1001', personalCode: 'secret-1' },
): Promise<HttpCandidate> {
  const journalId = randomUUID();
  const signIn = await fetch(`${base}${CLIENT_ROUTES.signIn}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      ...credentials,
      journalId,
      deviceIdHash: 'd'.repeat(64),
      journalPublicKey: 'e'.repeat(64),
      clientVersion: '1.0.0',
    }),
  });
  if (signIn.status !== 200)
    throw new Error(`sign-in failed: ${signIn.status} ${await signIn.text()}`);
  const { token } = (await signIn.json()) as { token: string };
  const examPackage = await fetch(`${base}${CLIENT_ROUTES.examPackage}`, {
    headers: { authorization: `Bearer ${token}` },
  });
  const key = configKey(((await examPackage.json()) as SignedExamPackage).package.policy);
  return {
    journalId,
    token,
    headers: (path) => ({
      'content-type': 'application/json',
      authorization: `Bearer ${token}`,
      [CONFIG_KEY_HEADER]: configKeyRequestHash(publicUrl, path, key),
    }),
  };
}
