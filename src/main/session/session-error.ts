import type { ProblemParams } from '../../common/problems';

/**
 * Why the exam session refused a request, as a code with parameters (the renderer owns the
 * words). A domain error: session-ipc.ts maps it to the IPC's error.
 *
 * The session's own codes: `not-signed-in`, `signed-in` (someone else is), `wrong-phase`,
 * `not-seeded` (a second computer is fetching the answers), `not-open` (the waiting room: the
 * exam has not opened), `not-answering` (submitted, locked
 * or submitting), `bad-answer`, `storage`, `package-signature`, `package-mismatch`, `offline`,
 * `wrong-credentials`; besides these, the server's own codes for a refused sign-in.
 */
export class SessionError extends Error {
  constructor(
    readonly code: string,
    readonly params: ProblemParams = {},
  ) {
    super(`${code}${Object.keys(params).length > 0 ? ` ${JSON.stringify(params)}` : ''}`);
    this.name = 'SessionError';
  }
}
