import { randomBytes, randomUUID } from 'node:crypto';

import type { FastifyInstance, LightMyRequestResponse } from 'fastify';

import {
  CLIENT_ROUTES,
  type Ack,
  type HeartbeatRequest,
  type SignedExamPackage,
} from '../../src/common/api';
import { configKey, configKeyRequestHash, CONFIG_KEY_HEADER } from '../../src/common/config-key';
import type { EventKind, EventPayload } from '../../src/common/events';
import { sealHandIn, type HandInFile } from '../../src/common/hand-in';
import { handInStatement, journalSigningKey, signHandIn } from '../../src/common/journal-key';
import { chainRecord, type JournalRecord } from '../../src/common/journal-record';
import type { Platform } from '../../src/common/platform';

export const TEST_PUBLIC_URL = 'http://vakt.test';

/**
 * A minimal protocol client for tests: signs in, keeps a chain of records, uploads batches
 * with the config-key hash, and journals the nonces it is given, as the real client must.
 */
export class ExamClient {
  readonly journalId = randomUUID();
  /** The journal's signing key, registered at sign-in (hand-in files are signed with it). */
  readonly signingKey = journalSigningKey(randomBytes(32), this.journalId);
  readonly records: JournalRecord[] = [];
  token = '';
  key = '';
  clock = 1_800_000_000_000;
  /** The laptop's operating system, as it says at sign-in. */
  platform: Platform = 'linux';

  constructor(
    readonly app: FastifyInstance,
    readonly credentials = {
      examCode: 'TEST-1',
      candidateNumber: '1001',
      personalCode: 'secret-1',
    },
    /** The server's public URL, which every config-key hash covers. */
    readonly publicUrl = TEST_PUBLIC_URL,
  ) {}

  async signIn(): Promise<LightMyRequestResponse> {
    const response = await this.app.inject({
      method: 'POST',
      url: CLIENT_ROUTES.signIn,
      payload: {
        ...this.credentials,
        journalId: this.journalId,
        deviceIdHash: 'd'.repeat(64),
        journalPublicKey: this.signingKey.publicKey,
        clientVersion: '1.0.0',
        platform: this.platform,
      },
    });
    if (response.statusCode === 200) this.token = response.json<{ token: string }>().token;
    return response;
  }

  async fetchPackage(): Promise<SignedExamPackage> {
    const response = await this.app.inject({
      method: 'GET',
      url: CLIENT_ROUTES.examPackage,
      headers: { authorization: `Bearer ${this.token}` },
    });
    const signed = response.json<SignedExamPackage>();
    this.key = configKey(signed.package.policy);
    return signed;
  }

  /** Appends a record to the local chain (not yet uploaded). */
  append<K extends EventKind>(kind: K, payload: EventPayload<K>): JournalRecord {
    this.clock += 1_000;
    const record = chainRecord(this.records.at(-1) ?? null, {
      kind,
      at: this.clock,
      mono: this.clock - 1_800_000_000_000,
      payload,
    });
    this.records.push(record);
    return record;
  }

  headers(url: string): Record<string, string> {
    return {
      authorization: `Bearer ${this.token}`,
      [CONFIG_KEY_HEADER]: configKeyRequestHash(this.publicUrl, url, this.key),
    };
  }

  async upload(
    records: readonly JournalRecord[],
    journalId = this.journalId,
  ): Promise<LightMyRequestResponse> {
    return this.app.inject({
      method: 'POST',
      url: CLIENT_ROUTES.records,
      headers: this.headers(CLIENT_ROUTES.records),
      payload: { journalId, records },
    });
  }

  /** Uploads, and on an ack journals the nonce it carried (sync.nonce). */
  async sync(records: readonly JournalRecord[]): Promise<LightMyRequestResponse> {
    const response = await this.upload(records);
    if (response.statusCode === 200)
      this.append('sync.nonce', { nonce: response.json<Ack>().nonce });
    return response;
  }

  /** The journal sealed to the server as an offline hand-in file, signed by its own key. */
  handInFile(examId: string, handInPublicKey: string, signed = true): HandInFile {
    const content = {
      examId,
      candidateNumber: this.credentials.candidateNumber,
      journalId: this.journalId,
      records: this.records,
    };
    const signature = signHandIn(handInStatement(content), this.signingKey);
    return sealHandIn(signed ? { ...content, signature } : content, handInPublicKey);
  }

  async heartbeat(
    headSeq = this.records.length,
    status: HeartbeatRequest['status'] = 'in-progress',
    device?: HeartbeatRequest['device'],
  ): Promise<LightMyRequestResponse> {
    return this.app.inject({
      method: 'POST',
      url: CLIENT_ROUTES.heartbeat,
      headers: this.headers(CLIENT_ROUTES.heartbeat),
      payload: { journalId: this.journalId, headSeq, status, ...(device ? { device } : {}) },
    });
  }
}
