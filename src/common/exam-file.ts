import { z } from 'zod';

import { examContentSchema } from './content';
import { examPolicySchema } from './policy';
import { parseWith, type Parsed } from './validation';

/** An exam's code as the exam file writes it: 3–32 upper-case letters, digits or "-". */
export const examCodeSchema = z
  .string()
  .regex(/^[A-Z0-9][A-Z0-9-]{2,31}$/, 'must be 3–32 upper-case letters, digits or "-"');

/** An exam as IT or an admin writes it: the JSON the server imports (`create-exam`). */
export const examFileSchema = z
  .strictObject({
    code: examCodeSchema,
    window: z.strictObject({
      opensAt: z.iso.datetime({
        offset: true,
        message: 'must be an ISO 8601 date-time with a time zone',
      }),
      closesAt: z.iso.datetime({
        offset: true,
        message: 'must be an ISO 8601 date-time with a time zone',
      }),
    }),
    policy: examPolicySchema.prefault({}),
    /**
     * The oldest Vakt that may sit this exam (semantic version), on top of the server's own
     * VAKT_MIN_CLIENT_VERSION: a feature or fix this exam relies on.
     */
    minClientVersion: z
      .string()
      .regex(/^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/, 'must be a version such as 1.2.0')
      .optional(),
    content: examContentSchema,
  })
  .superRefine((exam, ctx) => {
    if (Date.parse(exam.window.closesAt) <= Date.parse(exam.window.opensAt)) {
      ctx.addIssue({
        code: 'custom',
        path: ['window', 'closesAt'],
        message: 'must be after opensAt',
      });
    }
  });
export type ExamFileInput = z.input<typeof examFileSchema>;
export type ExamFile = z.output<typeof examFileSchema>;

export function parseExamFile(input: unknown): Parsed<ExamFile> {
  return parseWith(examFileSchema, input, 'exam');
}
