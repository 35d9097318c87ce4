import { connect, createServer, type Server, type Socket } from 'node:net';

/**
 * What the proxy does to one connection:
 * - pass: forwards both ways;
 * - refuse: closes the connection at once (the client sees a reset);
 * - drop: reads the request and never answers (the client times out);
 * - delay: forwards both ways, each chunk held back `ms`;
 * - cut: forwards the request, lets the server answer (so it has committed), and closes the
 *   client's connection instead of passing the reply on.
 */
export type Fault =
  | { kind: 'pass' }
  | { kind: 'refuse' }
  | { kind: 'drop' }
  | { kind: 'delay'; ms: number }
  | { kind: 'cut' };

/**
 * A TCP proxy on loopback in front of the exam server that applies one planned fault per
 * connection (clients must not keep connections alive). `offline` refuses everything.
 */
export class FaultProxy {
  offline = false;
  /**
   * Requests that start with this (`POST /api/v1/client/records`) pass to the server, and its
   * reply is held back: the server has answered, the client waits for ever (a reply in flight
   * when the laptop is killed). Null: none.
   */
  holdReplies: string | null = null;
  /**
   * Only requests that start with one of these pass; any other connection is reset once its
   * request arrives (sign-in works, nothing is uploaded). Null: no such filter.
   */
  passOnly: readonly string[] | null = null;
  /** Told each time a reply is held back. */
  onHeld: () => void = () => undefined;
  /**
   * The network silently gone (a dead Wi-Fi, a pulled cable): new connections are accepted and
   * never answered, and connections open now stop carrying anything, for good. Unlike
   * `offline`, nothing tells the client: only its timeouts do.
   */
  blackhole = false;
  private readonly silenced = new Set<Socket>();
  readonly applied: Fault['kind'][] = [];
  private plan: Fault[] = [];
  private readonly sockets = new Set<Socket>();

  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {}

  static async start(upstreamPort: number): Promise<FaultProxy> {
    let proxy: FaultProxy | null = null;
    const server = createServer((client) => proxy!.handle(client, upstreamPort));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    if (address === null || typeof address === 'string') throw new Error('no port');
    proxy = new FaultProxy(server, `http://127.0.0.1:${address.port}`);
    return proxy;
  }

  /** The faults the next connections get, in order; after them, connections pass. */
  setPlan(faults: readonly Fault[]): void {
    this.plan = [...faults];
  }

  get pending(): number {
    return this.plan.length;
  }

  /** The network goes silent (see `blackhole`) until `blackhole` is set false again. */
  goSilent(): void {
    this.blackhole = true;
    for (const socket of this.sockets) this.silenced.add(socket);
  }

  /** The network goes: open connections (kept alive by the client) are cut, new ones refused. */
  goOffline(): void {
    this.offline = true;
    for (const socket of this.sockets) socket.destroy();
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private track(socket: Socket): void {
    this.sockets.add(socket);
    socket.on('close', () => {
      this.sockets.delete(socket);
      this.silenced.delete(socket);
    });
    socket.on('error', () => undefined);
  }

  private handle(client: Socket, upstreamPort: number): void {
    this.track(client);
    const fault: Fault = this.offline
      ? { kind: 'refuse' }
      : this.blackhole
        ? { kind: 'drop' }
        : (this.plan.shift() ?? { kind: 'pass' });
    this.applied.push(fault.kind);
    if (fault.kind === 'refuse') {
      client.resetAndDestroy();
      return;
    }
    if (fault.kind === 'drop') {
      client.on('data', () => undefined);
      return;
    }
    const upstream = connect(upstreamPort, '127.0.0.1');
    this.track(upstream);
    const hold = (send: () => void) =>
      fault.kind === 'delay' ? setTimeout(send, fault.ms) : send();
    let held: boolean | null = null;
    client.on('data', (chunk: Buffer) => {
      const start = chunk.toString('latin1');
      held ??= this.holdReplies !== null && start.startsWith(this.holdReplies);
      if (this.silenced.has(client)) return;
      if (this.passOnly && !this.passOnly.some((prefix) => start.startsWith(prefix))) {
        client.resetAndDestroy();
        upstream.destroy();
        return;
      }
      hold(() => upstream.write(chunk));
    });
    client.on('end', () => hold(() => upstream.end()));
    client.on('close', () => upstream.destroy());
    upstream.on('data', (chunk) => {
      if (held || this.silenced.has(client)) {
        this.onHeld();
        return;
      }
      if (fault.kind === 'cut') {
        client.resetAndDestroy();
        upstream.destroy();
        return;
      }
      hold(() => client.write(chunk));
    });
    const quiet = () => held || this.silenced.has(client);
    upstream.on('end', () => quiet() || hold(() => client.end()));
    upstream.on('close', () => quiet() || hold(() => client.destroy()));
  }
}
