import { once } from "node:events";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { setTimeout as delay } from "node:timers/promises";
import type { ErrorFault, Fault } from "./fault.ts";

/** A request as a fake's handler sees it. */
export interface FakeRequest {
  readonly route: string;
  readonly method: string;
  readonly url: URL;
  /** Path parameters captured by the route pattern's named groups. */
  readonly params: Readonly<Record<string, string>>;
  readonly headers: IncomingMessage["headers"];
  readonly body: Buffer;
  /** The body parsed as JSON, or undefined when it is not JSON. */
  readonly json: unknown;
}

/** What a handler answers. Objects are sent as JSON. */
export interface FakeReply {
  readonly status: number;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body: Buffer | Uint8Array | string | object;
}

/** One endpoint of a fake. */
export interface FakeRoute {
  readonly name: string;
  readonly method: "GET" | "POST";
  readonly pattern: RegExp;
  readonly handle: (request: FakeRequest) => FakeReply | Promise<FakeReply>;
}

/** One request the fake received, for assertions. */
export interface RecordedRequest {
  readonly route: string;
  readonly method: string;
  readonly path: string;
  readonly json: unknown;
  readonly headers: IncomingMessage["headers"];
  /** The status the fake answered, or undefined for hangs and resets. */
  status: number | undefined;
}

interface QueuedFault {
  readonly fault: Fault;
  remaining: number;
  skip: number;
}

/**
 * A fake HTTP server on 127.0.0.1 (node:http) with named routes, per-route call counts, a request log and
 * scriptable faults. Each provider's fake supplies its routes and how its error envelope looks.
 * Control endpoints for use by hand: `POST /__fake/faults` `{route, fault, times}`, `GET /__fake/calls`,
 * `POST /__fake/reset`.
 */
export class FakeServer {
  readonly name: string;
  readonly requests: RecordedRequest[] = [];
  readonly #routes: readonly FakeRoute[];
  readonly #renderError: (fault: ErrorFault, request: FakeRequest) => FakeReply;
  readonly #faults = new Map<string, QueuedFault[]>();
  readonly #server: Server;
  #origin = "";

  constructor(
    name: string,
    routes: readonly FakeRoute[],
    renderError: (fault: ErrorFault, request: FakeRequest) => FakeReply,
  ) {
    this.name = name;
    this.#routes = routes;
    this.#renderError = renderError;
    this.#server = createServer((request, response) => {
      this.#serve(request, response).catch((error: unknown) => {
        if (!response.headersSent) {
          response.writeHead(500, { "content-type": "application/json" });
          response.end(JSON.stringify({ error: String(error) }));
        } else {
          response.destroy();
        }
      });
    });
  }

  /** `http://127.0.0.1:<port>` once started. */
  get origin(): string {
    if (!this.#origin) throw new Error(`${this.name} fake is not started`);
    return this.#origin;
  }

  /** Listens on 127.0.0.1 (`port` 0 picks a free one) and resolves with the origin. */
  async start(port = 0): Promise<string> {
    this.#server.listen(port, "127.0.0.1");
    await once(this.#server, "listening");
    this.#origin = `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}`;
    return this.#origin;
  }

  /** Stops listening and cuts every open connection (hung requests included). */
  async close(): Promise<void> {
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  /** Injects `fault` on the next `times` requests to `route`, after letting `skip` requests through. */
  fail(route: string, fault: Fault, times = 1, skip = 0): this {
    if (!this.#routes.some((candidate) => candidate.name === route)) {
      throw new Error(`${this.name} fake has no route "${route}"`);
    }
    const queue = this.#faults.get(route) ?? [];
    queue.push({ fault, remaining: times, skip });
    this.#faults.set(route, queue);
    return this;
  }

  /** Drops the faults still pending on `route` (every route when omitted); the recorded requests stay. */
  clearFaults(route?: string): this {
    if (route === undefined) this.#faults.clear();
    else this.#faults.delete(route);
    return this;
  }

  /** How many requests reached `route` (all routes when omitted), faulted ones included. */
  calls(route?: string): number {
    return route === undefined ? this.requests.length : this.requests.filter((r) => r.route === route).length;
  }

  /** Forgets recorded requests and pending faults. */
  resetFaultsAndCalls(): void {
    this.requests.length = 0;
    this.#faults.clear();
  }

  async #serve(incoming: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(incoming.url ?? "/", "http://127.0.0.1");
    const chunks: Buffer[] = [];
    for await (const chunk of incoming) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const json = parseJson(body, incoming.headers["content-type"]);

    if (url.pathname.startsWith("/__fake/")) {
      send(response, this.#control(incoming.method ?? "GET", url.pathname, json));
      return;
    }
    const route = this.#routes.find(
      (candidate) => candidate.method === incoming.method && candidate.pattern.test(url.pathname),
    );
    if (!route) {
      send(response, {
        status: 404,
        body: { error: `${this.name} fake: no route for ${incoming.method} ${url.pathname}` },
      });
      return;
    }
    const params = { ...(route.pattern.exec(url.pathname)?.groups ?? {}) };
    const request: FakeRequest = {
      route: route.name,
      method: incoming.method ?? "GET",
      url,
      params,
      headers: incoming.headers,
      body,
      json,
    };
    const recorded: RecordedRequest = {
      route: route.name,
      method: request.method,
      path: url.pathname,
      json,
      headers: incoming.headers,
      status: undefined,
    };
    this.requests.push(recorded);

    const fault = this.#takeFault(route.name);
    switch (fault?.kind) {
      case undefined:
        break;
      case "error": {
        const reply = this.#renderError(fault, request);
        recorded.status = reply.status;
        send(response, reply);
        return;
      }
      case "hang":
        return; // never answered; close() cuts it
      case "reset":
        response.socket?.destroy();
        return;
      case "malformed-json":
        recorded.status = 200;
        send(response, {
          status: 200,
          headers: { "content-type": "application/json" },
          body: '{"id": "gen-1", "choices": [' + "}",
        });
        return;
      case "wrong-content-type":
        recorded.status = 200;
        send(response, {
          status: 200,
          headers: { "content-type": "text/html; charset=utf-8" },
          body: "<!doctype html><html><body><h1>502 Bad Gateway</h1></body></html>",
        });
        return;
      case "truncated-json": {
        const reply = await route.handle(request);
        const bytes = toBuffer(reply.body);
        recorded.status = reply.status;
        response.writeHead(reply.status, { ...headersOf(reply), "content-length": String(bytes.length) });
        response.write(bytes.subarray(0, Math.max(1, Math.floor(bytes.length / 2))));
        await delay(20);
        response.socket?.destroy();
        return;
      }
      case "oversize": {
        recorded.status = 200;
        const big = Buffer.alloc(fault.bytes, 0x42);
        big.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]); // looks like a PNG, but far too big
        response.writeHead(200, {
          "content-type": "image/png",
          ...(fault.undeclared ? {} : { "content-length": String(big.length) }),
        });
        response.end(big);
        return;
      }
      case "delay": {
        // A client that hangs up while held never gets its answer made (the SIGKILL resume test
        // counts finished jobs, so a job completing after its client died must not count).
        const abandoned = new AbortController();
        response.once("close", () => abandoned.abort());
        try {
          await delay(fault.ms, undefined, { signal: abandoned.signal });
        } catch {
          return;
        }
        break;
      }
      case "content-type":
      case "slow-body":
        break;
      default:
        fault satisfies never;
    }
    const reply = await route.handle(request);
    recorded.status = reply.status;
    if (fault?.kind === "content-type") {
      send(response, { ...reply, headers: { ...reply.headers, "content-type": fault.value } });
      return;
    }
    if (fault?.kind === "slow-body") {
      const bytes = toBuffer(reply.body);
      response.writeHead(reply.status, { ...headersOf(reply), "content-length": String(bytes.length) });
      const size = fault.chunkBytes ?? 64;
      for (let offset = 0; offset < bytes.length; offset += size) {
        if (response.destroyed) return;
        response.write(bytes.subarray(offset, offset + size));
        await delay(fault.delayMs);
      }
      response.end();
      return;
    }
    send(response, reply);
  }

  #takeFault(route: string): Fault | undefined {
    const queue = this.#faults.get(route);
    const head = queue?.[0];
    if (!queue || !head) return undefined;
    if (head.skip > 0) {
      head.skip -= 1;
      return undefined;
    }
    head.remaining -= 1;
    if (head.remaining <= 0) queue.shift();
    return head.fault;
  }

  #control(method: string, path: string, json: unknown): FakeReply {
    if (method === "POST" && path === "/__fake/faults") {
      const { route, fault, times, skip } = (json ?? {}) as {
        route?: string;
        fault?: Fault;
        times?: number;
        skip?: number;
      };
      if (!route || !fault) return { status: 400, body: { error: "expected {route, fault, times?, skip?}" } };
      this.fail(route, fault, times ?? 1, skip ?? 0);
      return { status: 200, body: { ok: true } };
    }
    if (method === "GET" && path === "/__fake/calls") {
      const counts: Record<string, number> = {};
      for (const request of this.requests) counts[request.route] = (counts[request.route] ?? 0) + 1;
      return { status: 200, body: { total: this.requests.length, byRoute: counts } };
    }
    if (method === "POST" && path === "/__fake/reset") {
      this.resetFaultsAndCalls();
      return { status: 200, body: { ok: true } };
    }
    return { status: 404, body: { error: `unknown control endpoint ${method} ${path}` } };
  }
}

function parseJson(body: Buffer, contentType: string | undefined): unknown {
  if (body.length === 0 || !contentType?.includes("json")) return undefined;
  try {
    return JSON.parse(body.toString("utf8")) as unknown;
  } catch {
    return undefined;
  }
}

function toBuffer(body: FakeReply["body"]): Buffer {
  if (Buffer.isBuffer(body)) return body;
  if (body instanceof Uint8Array) return Buffer.from(body);
  if (typeof body === "string") return Buffer.from(body, "utf8");
  return Buffer.from(JSON.stringify(body), "utf8");
}

function headersOf(reply: FakeReply): Record<string, string> {
  const isJson = !(reply.body instanceof Uint8Array) && typeof reply.body === "object";
  return { ...(isJson ? { "content-type": "application/json" } : {}), ...reply.headers };
}

function send(response: ServerResponse, reply: FakeReply): void {
  const bytes = toBuffer(reply.body);
  response.writeHead(reply.status, { ...headersOf(reply), "content-length": String(bytes.length) });
  response.end(bytes);
}
