import type { FastifyRequest } from 'fastify';

/**
 * The caller's address (after the configured proxies). Fastify reads it from the socket when
 * asked, and a socket the caller already closed has none: the audit log and the throttles
 * still need a value.
 */
export function clientAddress(request: FastifyRequest): string {
  return request.ip ?? 'unknown';
}
