// The browser dev server (Node): serves the page, the bundled engine and the game's assets on
// 127.0.0.1, and runs the live-update channel (WebSocket via `ws`). It holds the compiler side
// (compiler-side.ts); the world runs in the page, which applies each ReloadPackage at a frame
// boundary and sends back the ReloadReport, printed here with `formatReportLine`.
// File watching is wired outside (tools/cli/start.ts calls `sourcesChanged` / `assetChanged`).

import { randomBytes } from "node:crypto";
import { existsSync, readFileSync, statSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { Duplex } from "node:stream";
import { extname, join, relative, resolve } from "node:path";
import { WebSocketServer, type WebSocket } from "ws";
import type { SourceProvider } from "../compiler/compile.ts";
import { formatReportLine, type ReloadReport } from "../reload/report.ts";
import type { ClientMessage, GameInfo, ServerMessage } from "../client/protocol.ts";
import { parseMessage } from "../client/protocol.ts";
import { bundleClient, type ClientBundle } from "./bundle.ts";
import { acknowledge, compileChange, createCompilerSide, rolledBack, settleWithoutPage, versionsOf, type CompilerSide } from "./compiler-side.ts";
import { manifestProblem, readManifest, type GameManifest } from "./game.ts";
import { CLIENT_SCRIPT, indexHtml } from "./page.ts";
import { BENCH_PAGE, BENCH_SCRIPT, benchBundle, benchHtml } from "./bench-page.ts";
import { isAllowedHost, isAllowedOrigin, isValidToken, resolveStaticPath } from "./security.ts";

export const CHANNEL_PATH = "/__ribbon/live";
const LOOPBACK = "127.0.0.1";
const PORT_ATTEMPTS = 20;

export interface DevOutput {
  /** A line the game printed. */
  log(line: string): void;
  /** Reports, diagnostics and status lines (may hold several lines). */
  status(text: string): void;
}

export interface DevServerOptions {
  gameDir: string;
  /** Wanted port (0: any free one); when taken, the next free port is used. */
  port: number;
  output: DevOutput;
  /** Where module sources come from (default: `<gameDir>/<module>.rib` on disk). */
  provider?: SourceProvider;
  /** The browser bundle (default: esbuild of engine/client/main.ts, see bundle.ts). */
  bundle?: () => Promise<ClientBundle>;
  width?: number;
  height?: number;
}

export interface DevServer {
  readonly url: string;
  readonly port: number;
  /** The live-update channel's per-session token (embedded in the served page). */
  readonly token: string;
  /** The game's sources changed: recompile and send a reload (or a first start). */
  sourcesChanged(): void;
  /** A file in the assets folder changed (absolute path). */
  assetChanged(path: string): void;
  clientCount(): number;
  close(): Promise<void>;
}

interface ServerState {
  options: DevServerOptions;
  gameDir: string;
  manifest: GameManifest;
  side: CompilerSide;
  token: string;
  port: number;
  bundle: Promise<ClientBundle>;
  /** The renderer benchmark page's script, bundled on its first request. */
  benchBundle: Promise<ClientBundle> | null;
  clients: Set<WebSocket>;
  textureVersions: Map<string, number>;
  provider: SourceProvider;
}

export async function startDevServer(options: DevServerOptions): Promise<DevServer> {
  const gameDir = resolve(options.gameDir);
  const manifest = readManifest(gameDir);
  if (!manifest.ok) throw new Error(manifestProblem(manifest));
  const state: ServerState = {
    options,
    gameDir,
    manifest: manifest.manifest,
    side: createCompilerSide(),
    token: randomBytes(24).toString("hex"),
    port: 0,
    bundle: (options.bundle ?? (() => bundleClient()))(),
    benchBundle: null,
    clients: new Set(),
    textureVersions: new Map(),
    provider: options.provider ?? diskProvider(gameDir),
  };
  state.bundle.catch((error: unknown) => options.output.status(`[dev] the browser bundle failed: ${(error as Error).message}`));
  const sockets = new WebSocketServer({ noServer: true, maxPayload: 4 * 1024 * 1024 });
  const server = createServer((request, response) => void handleRequest(state, request, response));
  server.on("upgrade", (request, socket, head) => handleUpgrade(state, sockets, request, socket, head));
  state.port = await listen(server, options.port);
  compileAndSend(state);
  const url = `http://${LOOPBACK}:${state.port}/`;
  return {
    url,
    port: state.port,
    token: state.token,
    sourcesChanged: () => sourcesChanged(state),
    assetChanged: (path) => assetChanged(state, path),
    clientCount: () => state.clients.size,
    close: () => close(server, sockets, state),
  };
}

function diskProvider(gameDir: string): SourceProvider {
  return (moduleName) => {
    const path = join(gameDir, `${moduleName}.rib`);
    if (!existsSync(path) || !statSync(path).isFile()) return null;
    return { path: relative(process.cwd(), path) || path, text: readFileSync(path, "utf8") };
  };
}

async function listen(server: Server, port: number): Promise<number> {
  for (let attempt = 0; attempt < PORT_ATTEMPTS; attempt++) {
    const wanted = port === 0 ? 0 : port + attempt;
    const result = await new Promise<number | "taken">((resolvePort, reject) => {
      const onError = (error: NodeJS.ErrnoException) => {
        server.off("listening", onListening);
        if (error.code === "EADDRINUSE" && port !== 0) resolvePort("taken");
        else reject(error);
      };
      const onListening = () => {
        server.off("error", onError);
        const address = server.address();
        resolvePort(typeof address === "object" && address ? address.port : wanted);
      };
      server.once("error", onError);
      server.once("listening", onListening);
      server.listen(wanted, LOOPBACK);
    });
    if (result !== "taken") return result;
  }
  throw new Error(`no free port in ${port}..${port + PORT_ATTEMPTS - 1}`);
}

async function close(server: Server, sockets: WebSocketServer, state: ServerState): Promise<void> {
  for (const client of state.clients) client.terminate();
  state.clients.clear();
  await new Promise<void>((done) => sockets.close(() => done()));
  server.closeAllConnections();
  await new Promise<void>((done) => server.close(() => done()));
}

// ---------------------------------------------------------------- HTTP

const CONTENT_TYPES: Record<string, string> = {
  ".png": "image/png",
  ".jpg": "image/jpeg",
  ".jpeg": "image/jpeg",
  ".webp": "image/webp",
  ".gif": "image/gif",
  ".json": "application/json",
  ".txt": "text/plain; charset=utf-8",
  ".wav": "audio/wav",
  ".ogg": "audio/ogg",
  ".mp3": "audio/mpeg",
};

function baseHeaders(type: string): Record<string, string> {
  return {
    "Content-Type": type,
    "Cache-Control": "no-store",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cross-Origin-Resource-Policy": "same-origin",
    "X-Frame-Options": "DENY",
  };
}

function reply(response: ServerResponse, status: number, type: string, body: string | Buffer, head: boolean): void {
  response.writeHead(status, baseHeaders(type));
  response.end(head ? undefined : body);
}

async function handleRequest(state: ServerState, request: IncomingMessage, response: ServerResponse): Promise<void> {
  const head = request.method === "HEAD";
  if (!isAllowedHost(request.headers.host, state.port)) return reply(response, 403, "text/plain; charset=utf-8", "forbidden host\n", head);
  if (request.method !== "GET" && !head) return reply(response, 405, "text/plain; charset=utf-8", "method not allowed\n", head);
  const target = request.url ?? "/";
  const path = target.split("?", 1)[0];
  if (path === "/" || path === "/index.html") return reply(response, 200, "text/html; charset=utf-8", pageFor(state), head);
  if (path === CLIENT_SCRIPT || path === `${CLIENT_SCRIPT}.map`) return serveBundle(state.bundle, path.endsWith(".map"), response, head);
  if (path === BENCH_PAGE) return reply(response, 200, "text/html; charset=utf-8", benchHtml(state.manifest), head);
  if (path === BENCH_SCRIPT || path === `${BENCH_SCRIPT}.map`) return serveBundle(benchBundleOf(state), path.endsWith(".map"), response, head);
  if (path.startsWith("/assets/")) return serveAsset(state, target.slice("/assets/".length), response, head);
  reply(response, 404, "text/plain; charset=utf-8", "not found\n", head);
}

function pageFor(state: ServerState): string {
  return indexHtml({
    title: state.manifest.name,
    channel: `${CHANNEL_PATH}?token=${state.token}`,
    width: state.options.width ?? state.manifest.width,
    height: state.options.height ?? state.manifest.height,
  });
}

/** A failed build is tried again on the next request. */
function benchBundleOf(state: ServerState): Promise<ClientBundle> {
  if (!state.benchBundle) {
    state.benchBundle = benchBundle();
    state.benchBundle.catch(() => (state.benchBundle = null));
  }
  return state.benchBundle;
}

async function serveBundle(bundle: Promise<ClientBundle>, map: boolean, response: ServerResponse, head: boolean): Promise<void> {
  try {
    const { code, map: sourceMap } = await bundle;
    if (map) reply(response, 200, "application/json; charset=utf-8", sourceMap, head);
    else reply(response, 200, "text/javascript; charset=utf-8", code, head);
  } catch (error) {
    reply(response, 500, "text/plain; charset=utf-8", `bundle failed: ${(error as Error).message}\n`, head);
  }
}

function serveAsset(state: ServerState, target: string, response: ServerResponse, head: boolean): void {
  const resolved = resolveStaticPath(state.manifest.assetsDir, target);
  switch (resolved.kind) {
    case "refused":
      return reply(response, resolved.status, "text/plain; charset=utf-8", `${resolved.reason}\n`, head);
    case "file": {
      const type = CONTENT_TYPES[extname(resolved.path).toLowerCase()] ?? "application/octet-stream";
      let body: Buffer;
      try {
        body = readFileSync(resolved.path);
      } catch {
        return reply(response, 404, "text/plain; charset=utf-8", "not found\n", head);
      }
      return reply(response, 200, type, body, head);
    }
    default: {
      const never: never = resolved;
      return never;
    }
  }
}

// ---------------------------------------------------------------- live-update channel

function refuseUpgrade(socket: Duplex, status: string): void {
  socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
  socket.destroy();
}

function handleUpgrade(state: ServerState, sockets: WebSocketServer, request: IncomingMessage, socket: Duplex, head: Buffer): void {
  const target = new URL(request.url ?? "/", "http://localhost");
  if (!isAllowedHost(request.headers.host, state.port)) return refuseUpgrade(socket, "403 Forbidden");
  if (target.pathname !== CHANNEL_PATH) return refuseUpgrade(socket, "404 Not Found");
  if (!isAllowedOrigin(request.headers.origin, state.port)) return refuseUpgrade(socket, "403 Forbidden");
  if (!isValidToken(target.searchParams.get("token"), state.token)) return refuseUpgrade(socket, "401 Unauthorized");
  sockets.handleUpgrade(request, socket, head, (client) => onConnection(state, client));
}

function onConnection(state: ServerState, client: WebSocket): void {
  state.clients.add(client);
  client.on("message", (data) => {
    const message = parseMessage<ClientMessage>(String(data));
    if (message) onClientMessage(state, message);
  });
  client.on("close", () => {
    state.clients.delete(client);
    if (state.clients.size === 0 && settleWithoutPage(state.side)) compileAndSend(state);
  });
  const running = state.side.running;
  if (running) send(client, { kind: "start", game: gameInfo(state), modules: running.modules, versions: versionsOf(running) });
  else compileAndSend(state);
}

function send(client: WebSocket, message: ServerMessage): void {
  if (client.readyState === client.OPEN) client.send(JSON.stringify(message));
}

function broadcast(state: ServerState, message: ServerMessage): void {
  for (const client of state.clients) send(client, message);
}

function onClientMessage(state: ServerState, message: ClientMessage): void {
  const output = state.options.output;
  switch (message.kind) {
    case "report":
      printReport(state, message.report);
      if (acknowledge(state.side, message.id, message.report)) compileAndSend(state);
      return;
    case "rollback":
      printReport(state, message.report);
      rolledBack(state.side, message.id);
      return;
    case "log":
      output.log(String(message.line));
      return;
    case "runtime-error":
      output.status(`[page] ${String(message.message)}`);
      return;
    case "texture-status":
      output.status(message.ok ? `[assets] texture ${message.name} reloaded` : `[assets] texture ${message.name}: ${message.reason}`);
      return;
    default: {
      const never: never = message;
      output.status(`[dev] unknown message from the page: ${JSON.stringify(never)}`);
    }
  }
}

function printReport(state: ServerState, report: ReloadReport): void {
  state.options.output.status(report.details ? `${formatReportLine(report)}\n${report.details}` : formatReportLine(report));
}

// ---------------------------------------------------------------- changes

function gameInfo(state: ServerState): GameInfo {
  const textures: Record<string, string> = {};
  for (const [name, file] of Object.entries(state.manifest.textures)) textures[name] = textureUrl(file, state.textureVersions.get(name) ?? 0);
  return { name: state.manifest.name, seed: state.manifest.seed, roots: [...state.manifest.modules], textures };
}

function textureUrl(file: string, version: number): string {
  const path = file.split("/").map(encodeURIComponent).join("/");
  return version > 0 ? `/assets/${path}?v=${version}` : `/assets/${path}`;
}

function sourcesChanged(state: ServerState): void {
  const manifest = readManifest(state.gameDir);
  if (!manifest.ok) {
    // The game goes on with the manifest it has; the page shows why the new one is not taken.
    state.options.output.status(`[dev] ${manifestProblem(manifest)}\n[dev] the game goes on with the manifest it had: fix it and save`);
    broadcast(state, { kind: "waiting", reason: manifest.reason, details: manifest.details ?? "" });
    return;
  }
  state.manifest = manifest.manifest;
  compileAndSend(state);
}

function compileAndSend(state: ServerState): void {
  const output = state.options.output;
  const step = compileChange(state.side, state.manifest.modules, state.provider, () => performance.now(), state.manifest.file);
  switch (step.kind) {
    case "deferred":
      return;
    case "waiting":
      output.status(`${step.details}\n[dev] the game starts once it compiles: fix the error and save`);
      broadcast(state, { kind: "waiting", reason: step.reason, details: step.details });
      return;
    case "start":
      output.status(`[dev] started ${state.manifest.name}: ${state.manifest.modules.join(", ")}`);
      broadcast(state, { kind: "start", game: gameInfo(state), modules: step.modules, versions: step.versions });
      return;
    case "reload":
      if (state.clients.size === 0) {
        output.status(step.pkg.rejection ? `[dev] (no page open) rejected: ${step.pkg.rejection.reason}` : "[dev] (no page open) compiled");
        if (settleWithoutPage(state.side)) compileAndSend(state);
        return;
      }
      broadcast(state, { kind: "reload", id: step.id, pkg: step.pkg });
      return;
    default: {
      const never: never = step;
      return never;
    }
  }
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** Why an image file cannot be used, or null when it looks fine (the page still decodes it). */
export function imageProblem(path: string): string | null {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch {
    return "the file is gone";
  }
  if (bytes.length === 0) return "the file is empty";
  if (extname(path).toLowerCase() === ".png" && !bytes.subarray(0, 8).equals(PNG_SIGNATURE)) return "not a PNG file (bad signature)";
  return null;
}

function assetChanged(state: ServerState, path: string): void {
  const absolute = resolve(path);
  for (const [name, file] of Object.entries(state.manifest.textures)) {
    if (resolve(state.manifest.assetsDir, file) !== absolute) continue;
    const problem = imageProblem(absolute);
    if (problem) {
      state.options.output.status(`[assets] texture ${name}: ${problem}; keeping the previous texture`);
      broadcast(state, { kind: "texture-error", name, reason: `${problem}; keeping the previous texture` });
      continue;
    }
    const version = (state.textureVersions.get(name) ?? 0) + 1;
    state.textureVersions.set(name, version);
    broadcast(state, { kind: "texture", name, url: textureUrl(file, version) });
  }
}
