/**
 * Slash-command latency under load: autocannon sends signed `/briefing` and `/country` requests to
 * Bolt's /slack/events, each with its own response_url pointing at a receiver here. The bot acks at
 * once and answers through response_url, so the figure that matters — how long a user waits for the
 * answer — is the time from sending the command to its answer arriving; the HTTP ack time is kept too.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import autocannon from 'autocannon';
import { slackSignatureHeaders } from '../src/local/sign.js';
import { slashCommandForm } from '../src/local/to-bolt.js';
import { percentile } from './stats.js';

/** Commands a desk would type: recent and old days, countries over the default and long periods. */
export const COMMAND_MIX: ReadonlyArray<{ command: string; text: string }> = [
  { command: '/briefing', text: '' },
  { command: '/briefing', text: 'yesterday' },
  { command: '/briefing', text: 'latest' },
  { command: '/briefing', text: 'Oct 7, 2021' },
  { command: '/briefing', text: '2019-03-04' },
  { command: '/country', text: 'Mexico' },
  { command: '/country', text: 'Peru' },
  { command: '/country', text: 'Brazil in October 2021' },
  { command: '/country', text: 'Haiti all' },
  { command: '/country', text: 'Venezuelan 2020' },
];

/** How long to wait after the load for answers still on their way. */
const DRAIN_MS = 5_000;
const TEAM = { teamId: 'T0BENCH', teamDomain: 'bench', appId: 'A0BENCH' };

export interface CommandLoadOptions {
  port: number;
  signingSecret: string;
  durationSec: number;
  connections: number;
}

export interface CommandLoadResult {
  sent: number;
  answered: number;
  /** Command sent → answer received at its response_url. */
  p50Ms: number;
  p99Ms: number;
  /** Command sent → Bolt's HTTP ack. */
  ackP50Ms: number;
  ackP99Ms: number;
  non2xx: number;
  errors: number;
  requestsPerSec: number;
}

function listen(handler: (req: IncomingMessage, res: ServerResponse) => void) {
  const server = createServer(handler);
  return new Promise<{ port: number; close: () => Promise<void> }>((resolve) => {
    server.listen(0, '127.0.0.1', () =>
      resolve({
        port: (server.address() as AddressInfo).port,
        close: () =>
          new Promise<void>((done) => {
            server.closeAllConnections();
            server.close(() => done());
          }),
      }),
    );
  });
}

export async function commandLoad(options: CommandLoadOptions): Promise<CommandLoadResult> {
  const sentAt = new Map<number, number>();
  const answeredAt = new Map<number, number>();
  const receiver = await listen((req, res) => {
    const n = Number(/^\/respond\/(\d+)$/.exec(req.url ?? '')?.[1]);
    req.resume();
    req.on('end', () => {
      if (Number.isInteger(n) && !answeredAt.has(n)) answeredAt.set(n, performance.now());
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
    });
  });

  let sequence = 0;
  const result = await autocannon({
    url: `http://127.0.0.1:${options.port}`,
    connections: options.connections,
    duration: options.durationSec,
    requests: [
      {
        method: 'POST',
        path: '/slack/events',
        setupRequest: (request) => {
          const n = sequence++;
          const { command, text } = COMMAND_MIX[n % COMMAND_MIX.length]!;
          const body = slashCommandForm(
            TEAM,
            {
              command,
              text,
              userId: 'U0BENCH',
              userName: 'bench',
              channelId: 'C0BRIEFING',
              channelName: 'briefings',
            },
            `http://127.0.0.1:${receiver.port}/respond/${n}`,
          );
          sentAt.set(n, performance.now());
          return {
            ...request,
            body,
            headers: {
              'content-type': 'application/x-www-form-urlencoded',
              ...slackSignatureHeaders(options.signingSecret, body),
            },
          };
        },
      },
    ],
  });

  const deadline = performance.now() + DRAIN_MS;
  while (answeredAt.size < sentAt.size && performance.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  await receiver.close();

  const waits: number[] = [];
  for (const [n, at] of answeredAt) {
    const sent = sentAt.get(n);
    if (sent !== undefined) waits.push(at - sent);
  }
  return {
    sent: sentAt.size,
    answered: answeredAt.size,
    p50Ms: percentile(waits, 50),
    p99Ms: percentile(waits, 99),
    ackP50Ms: result.latency.p50,
    ackP99Ms: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors,
    requestsPerSec: result.requests.average,
  };
}
