import { canonicalJson } from './canonical-json';
import { sha256Hex } from './hash';

/** Header every client request carries once the exam package is verified. */
export const CONFIG_KEY_HEADER = 'x-vakt-config-key-hash';

/**
 * The config key: sha256 of the RFC 8785 canonical JSON of the exam policy, exactly as it
 * appears in the signed exam package (the server ships its normalised policy, defaults
 * filled in, so client and server hash the same object).
 */
export function configKey(policy: unknown): string {
  return sha256Hex(canonicalJson(policy));
}

/** The server's public base URL without a trailing slash: `https://exam.example.no/vakt`. */
export function normalisePublicUrl(publicUrl: string): string {
  const url = new URL(publicUrl);
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new Error(`The public URL must use http or https, not ${url.protocol}`);
  }
  if (url.search || url.hash) {
    throw new Error('The public URL must not have a query or a fragment');
  }
  return url.href.replace(/\/+$/, '');
}

/**
 * The per-request hash: sha256hex(publicUrl ‖ pathAndQuery ‖ configKey). pathAndQuery starts
 * with "/" and is relative to the public URL, so publicUrl ‖ pathAndQuery is the absolute URL
 * the client requested. Using the configured public URL, not the Host header, keeps proxies
 * from changing the hash.
 */
export function configKeyRequestHash(publicUrl: string, pathAndQuery: string, key: string): string {
  if (!pathAndQuery.startsWith('/')) {
    throw new Error(`pathAndQuery must start with "/", got "${pathAndQuery}"`);
  }
  return sha256Hex(normalisePublicUrl(publicUrl) + pathAndQuery + key);
}
