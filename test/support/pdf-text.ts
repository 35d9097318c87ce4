import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';

const PDFTOTEXT = '/usr/bin/pdftotext';

/**
 * The text of a PDF as a reader sees it (poppler's pdftotext, in layout order), or null when
 * pdftotext is not installed — said loudly; under CI=true that is a failure, CI installs it.
 */
export async function pdfText(pdf: Buffer): Promise<string | null> {
  if (!existsSync(PDFTOTEXT)) {
    const reason = `pdftotext not found at ${PDFTOTEXT} (apt-get install poppler-utils)`;
    if (process.env.CI === 'true') throw new Error(`${reason}; CI must have it`);
    console.warn(`SKIPPED reading a PDF's text: ${reason}.`);
    return null;
  }
  return new Promise((resolve, reject) => {
    const child = execFile(PDFTOTEXT, ['-layout', '-', '-'], (error, stdout) => {
      if (error) reject(new Error(`pdftotext failed: ${error.message}`));
      else resolve(stdout);
    });
    child.stdin!.end(pdf);
  });
}
