import { connect, createServer, type Socket } from 'node:net';

/**
 * A loopback TCP relay in front of a real server that can hold the server's replies on a connection
 * once the client has sent a given command: it puts a client in a state it otherwise reaches only by
 * chance under load (a command written, its reply not yet read) and keeps it there while a test acts.
 */
export interface TcpGate {
  url: string;
  /** From now on, a connection whose client sends `token` gets no more bytes from the server until {@link release}. */
  holdRepliesAfter(token: string): void;
  /** Connections being held. */
  held(): number;
  /** Connections open through the gate. */
  connections(): number;
  /** Delivers what was held (and a held end) and stops holding. */
  release(): void;
  close(): Promise<void>;
}

interface Relay {
  client: Socket;
  holding: boolean;
  pending: Buffer[];
  serverEnded: boolean;
}

export async function startTcpGate(targetPort: number, scheme = 'redis'): Promise<TcpGate> {
  const relays = new Set<Relay>();
  let token: string | undefined;
  // Half-open: a client that ends its side (a disconnect) still reads what the server said before it.
  const server = createServer({ allowHalfOpen: true }, (client) => {
    const relay: Relay = { client, holding: false, pending: [], serverEnded: false };
    relays.add(relay);
    const upstream = connect({ host: '127.0.0.1', port: targetPort, allowHalfOpen: true });
    const drop = () => {
      relays.delete(relay);
      client.destroy();
      upstream.destroy();
    };
    client.on('error', drop);
    upstream.on('error', drop);
    client.on('close', drop);
    upstream.on('close', () => relay.holding || drop());
    client.on('data', (chunk: Buffer) => {
      if (token !== undefined && chunk.toString('latin1').toLowerCase().includes(token)) relay.holding = true;
      upstream.write(chunk);
    });
    client.on('end', () => upstream.end());
    upstream.on('data', (chunk: Buffer) => (relay.holding ? relay.pending.push(chunk) : client.write(chunk)));
    upstream.on('end', () => (relay.holding ? (relay.serverEnded = true) : client.end()));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `${scheme}://127.0.0.1:${port}`,
    holdRepliesAfter: (t) => {
      token = t.toLowerCase();
    },
    held: () => [...relays].filter((r) => r.holding).length,
    connections: () => relays.size,
    release: () => {
      token = undefined;
      for (const relay of relays) {
        if (!relay.holding) continue;
        relay.holding = false;
        for (const chunk of relay.pending.splice(0)) if (!relay.client.destroyed) relay.client.write(chunk);
        if (relay.serverEnded) relay.client.end();
      }
    },
    close: async () => {
      for (const relay of relays) relay.client.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
