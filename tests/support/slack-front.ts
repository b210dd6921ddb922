/**
 * One Slack Web API address in front of several stand-ins, one per workspace, as slack.com is one
 * address for every workspace: a call goes to the stand-in whose bot token it carries, and
 * oauth.v2.access (which carries no token) to the stand-in that granted the code or refresh token. Requests and answers
 * pass through unchanged; this only picks the workspace.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { SlackStandIn } from '../../src/local/slack-stand-in.js';

export interface SlackFront {
  apiUrl: string;
  close(): Promise<void>;
}

export async function startSlackFront(standIns: SlackStandIn[]): Promise<SlackFront> {
  const server: Server = createServer((req, res) => {
    relay(req, res).catch(() => {
      // A stand-in closed mid-call (the end of a test): answer as an unreachable Slack would.
      if (!res.headersSent) res.writeHead(502).end();
      else res.destroy();
    });
  });
  const relay = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const method = new URL(req.url ?? '/', 'http://front.invalid').pathname.replace(/^\/api\//, '');
    const headers: Record<string, string> = {};
    for (const name of ['content-type', 'authorization']) {
      const value = req.headers[name];
      if (typeof value === 'string') headers[name] = value;
    }
    const forward = (standIn: SlackStandIn) =>
      fetch(`${standIn.apiUrl}${method}`, { method: req.method ?? 'POST', headers, body });
    let answer: Response | undefined;
    if (method === 'oauth.v2.access') {
      // Only the stand-in that granted the code (or the refresh token) knows it; the others say so.
      for (const standIn of standIns) {
        answer = await forward(standIn);
        const json = (await answer.clone().json()) as { ok?: boolean; error?: string };
        if (json.ok || (json.error !== 'invalid_code' && json.error !== 'invalid_refresh_token')) break;
      }
    } else {
      const bearer = /^Bearer\s+(\S+)$/i.exec(headers.authorization ?? '')?.[1];
      const token = bearer ?? new URLSearchParams(body.toString('utf8')).get('token');
      answer = await forward(standIns.find((standIn) => token && standIn.knowsToken(token)) ?? standIns[0]!);
    }
    res.writeHead(answer!.status, Object.fromEntries(answer!.headers));
    res.end(Buffer.from(await answer!.arrayBuffer()));
  };
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    apiUrl: `http://127.0.0.1:${port}/api/`,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
