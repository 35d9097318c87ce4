import { describe, expect, it } from 'vitest';
import { z } from 'zod';

import { storedJson } from './validation';

describe('storedJson', () => {
  const schema = z.strictObject({ at: z.string() });

  it('reads back what fits, and nothing from what is absent, broken or foreign', () => {
    expect(storedJson(schema, '{"at":"q2"}')).toEqual({ at: 'q2' });
    expect(storedJson(schema, null)).toBeNull();
    expect(storedJson(schema, '{"at":')).toBeNull();
    expect(storedJson(schema, '{"at":2}')).toBeNull();
  });
});
