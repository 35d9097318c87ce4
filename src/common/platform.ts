import { z } from 'zod';

/** The operating systems a candidate's laptop can run Vakt on, as the dashboard names them. */
export const PLATFORMS = ['windows', 'macos', 'linux', 'other'] as const;
export const platformSchema = z.enum(PLATFORMS);
export type Platform = z.infer<typeof platformSchema>;

/** Node's process.platform as one of ours. */
export function platformOf(nodePlatform: string): Platform {
  switch (nodePlatform) {
    case 'win32':
      return 'windows';
    case 'darwin':
      return 'macos';
    case 'linux':
      return 'linux';
    default:
      return 'other';
  }
}
