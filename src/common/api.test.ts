import { describe, expect, it } from 'vitest';

import { answersHash, signInRequestSchema, uploadRequestSchema } from './api';
import { chainRecord } from './journal-record';

describe('answers hash', () => {
  it('matches sha256sum of the canonical answers map', () => {
    // printf '%s' '{"q1":{"optionId":"b","type":"single-choice"},"q2":{"text":"Oslo","type":"short-text"}}' | sha256sum
    expect(
      answersHash({
        q2: { type: 'short-text', text: 'Oslo' },
        q1: { type: 'single-choice', optionId: 'b' },
      }),
    ).toBe('cae2d20c0611b15aefafa480ae2710cad1c89eb722d208b8fd84ae5ec95bb5a8');
  });
});

describe('candidate API schemas', () => {
  const signIn = {
    examCode: ' demo-1 ',
    candidateNumber: '1001',
    personalCode: 'secret',
    journalId: '0b6f3b7e-2f6a-4c47-9a8e-6f1f8f5b2a10',
    deviceIdHash: 'a'.repeat(64),
    journalPublicKey: 'b'.repeat(64),
    clientVersion: '0.1.0',
  };

  it('normalises the exam code a candidate types', () => {
    expect(signInRequestSchema.parse(signIn).examCode).toBe('DEMO-1');
  });

  it('refuses unknown fields and says which', () => {
    const result = signInRequestSchema.safeParse({ ...signIn, admin: true });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toMatch(/admin/);
  });

  it('refuses a batch with no records and a record with a bad payload', () => {
    const journalId = signIn.journalId;
    expect(uploadRequestSchema.safeParse({ journalId, records: [] }).success).toBe(false);
    const record = chainRecord(null, {
      kind: 'focus.regained',
      at: 1,
      mono: 1,
      payload: { durationMs: 5 },
    });
    expect(uploadRequestSchema.safeParse({ journalId, records: [record] }).success).toBe(true);
    const bad = { ...record, payload: { durationMs: -5 } };
    expect(uploadRequestSchema.safeParse({ journalId, records: [bad] }).success).toBe(false);
  });
});
