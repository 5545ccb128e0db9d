// Dev-server security (issue #4): loopback only, Host allow-list, the live-update channel's
// Origin and token checks, no wildcard CORS, and static paths that cannot leave the assets folder
// (`..`, encoded dots, `?`/`#` tricks, symlinks). Each case runs against a real server.

import { request } from "node:http";
import { connect as connectTcp } from "node:net";
import { mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import WebSocket from "ws";
import { CHANNEL_PATH, startDevServer, type DevServer } from "../../engine/server/dev-server.ts";
import { isAllowedHost, isAllowedOrigin, resolveStaticPath } from "../../engine/server/security.ts";
import { createTestGame, type GameFolder } from "./fixtures.ts";

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A raw GET: the target and Host go on the wire exactly as given. */
function get(server: DevServer, target: string, host = `127.0.0.1:${server.port}`): Promise<Answer> {
  return new Promise((resolveAnswer, reject) => {
    const req = request({ host: "127.0.0.1", port: server.port, path: target, method: "GET", headers: { Host: host } }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () => resolveAnswer({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString("utf8") }));
    });
    req.on("error", reject);
    req.setTimeout(5000, () => req.destroy(new Error("timeout")));
    req.end();
  });
}

/** Tries to open the channel; resolves with "open" or the HTTP status of the refusal. */
function connect(server: DevServer, options: { origin?: string; token?: string; host?: string; path?: string }): Promise<string> {
  const token = options.token ?? server.token;
  const url = `ws://127.0.0.1:${server.port}${options.path ?? CHANNEL_PATH}?token=${encodeURIComponent(token)}`;
  const headers: Record<string, string> = { Host: options.host ?? `127.0.0.1:${server.port}` };
  if (options.origin !== undefined) headers.Origin = options.origin;
  return new Promise((resolveResult) => {
    const socket = new WebSocket(url, { headers });
    const timer = setTimeout(() => {
      socket.terminate();
      resolveResult("timeout");
    }, 5000);
    socket.on("open", () => {
      clearTimeout(timer);
      socket.close();
      resolveResult("open");
    });
    socket.on("unexpected-response", (_request, response) => {
      clearTimeout(timer);
      resolveResult(String(response.statusCode));
      socket.terminate();
    });
    socket.on("error", () => {
      clearTimeout(timer);
      resolveResult("error");
    });
  });
}

let game: GameFolder;
let server: DevServer;
const lines: string[] = [];

beforeAll(async () => {
  game = createTestGame();
  writeFileSync(join(game.root, "secret.txt"), "top secret");
  writeFileSync(join(game.assetsDir, ".hidden"), "hidden");
  mkdirSync(join(game.assetsDir, "sub"));
  writeFileSync(join(game.assetsDir, "sub", "a.txt"), "inside");
  symlinkSync(join(game.root, "secret.txt"), join(game.assetsDir, "escape.txt"));
  symlinkSync(game.root, join(game.assetsDir, "up"));
  server = await startDevServer({ gameDir: game.gameDir, port: 0, bundle: async () => ({ code: "// bundle", map: "{}" }), output: { log: (line) => lines.push(line), status: (text) => lines.push(text) } });
});

afterAll(async () => {
  await server?.close();
});

describe("listening", () => {
  test("binds to 127.0.0.1 only and prints a loopback URL", () => {
    expect(server.url).toBe(`http://127.0.0.1:${server.port}/`);
  });

  test("a taken port moves on to the next free one", async () => {
    const second = await startDevServer({ gameDir: game.gameDir, port: server.port, bundle: async () => ({ code: "", map: "{}" }), output: { log: () => {}, status: () => {} } });
    try {
      expect(second.port).toBeGreaterThan(server.port);
    } finally {
      await second.close();
    }
  });
});

describe("Host header", () => {
  test.each(["localhost", "127.0.0.1", "[::1]"])("%s (with and without the port) is served", async (name) => {
    expect((await get(server, "/", `${name}:${server.port}`)).status).toBe(200);
    expect((await get(server, "/", name)).status).toBe(200);
  });

  test.each(["evil.example", "localhost.evil.example", "127.0.0.1.nip.io", "0.0.0.0"])("Host %j is refused (DNS rebinding)", async (host) => {
    expect((await get(server, "/", host)).status).toBe(403);
  });

  test("an empty Host is refused", async () => {
    const head = await new Promise<string>((done, reject) => {
      const socket = connectTcp(server.port, "127.0.0.1", () => socket.write("GET / HTTP/1.1\r\nHost: \r\nConnection: close\r\n\r\n"));
      let text = "";
      socket.on("data", (chunk) => (text += String(chunk)));
      socket.on("end", () => done(text));
      socket.on("error", reject);
      socket.setTimeout(5000, () => socket.destroy(new Error("timeout")));
    });
    expect(head).toMatch(/^HTTP\/1\.1 403/);
  });

  test("a loopback name with another port is refused", async () => {
    expect((await get(server, "/", `localhost:${server.port + 1}`)).status).toBe(403);
  });

  test("pure checks", () => {
    expect(isAllowedHost("LOCALHOST:80", 80)).toBe(true);
    expect(isAllowedHost(undefined, 80)).toBe(false);
    expect(isAllowedHost("[::1]x", 80)).toBe(false);
    expect(isAllowedOrigin("http://localhost:8080", 8080)).toBe(true);
    expect(isAllowedOrigin("http://localhost:81", 80)).toBe(false);
    expect(isAllowedOrigin("https://localhost:80", 80)).toBe(false);
    expect(isAllowedOrigin("null", 80)).toBe(false);
  });
});

describe("no wildcard CORS", () => {
  test.each(["/", "/client.js", "/assets/ship.png", "/nothing"])("%s has no Access-Control-Allow-Origin", async (target) => {
    const answer = await get(server, target);
    expect(answer.headers["access-control-allow-origin"]).toBeUndefined();
    expect(answer.headers["x-content-type-options"]).toBe("nosniff");
  });
});

describe("static files", () => {
  test("the engine bundle and its source map are served with their types", async () => {
    const script = await get(server, "/client.js");
    expect(script.headers["content-type"]).toBe("text/javascript; charset=utf-8");
    expect(script.body).toBe("// bundle");
    const map = await get(server, "/client.js.map");
    expect(map.headers["content-type"]).toBe("application/json; charset=utf-8");
    expect(map.body).toBe("{}");
  });

  test("a file of the assets folder is served, with its type", async () => {
    const answer = await get(server, "/assets/ship.png?v=3");
    expect(answer.status).toBe(200);
    expect(answer.headers["content-type"]).toBe("image/png");
    expect((await get(server, "/assets/sub/a.txt")).body).toBe("inside");
  });

  test.each([
    ["/assets/../secret.txt", 403],
    ["/assets/sub/../../secret.txt", 403],
    ["/assets/%2e%2e/secret.txt", 403],
    ["/assets/%2E%2E/secret.txt", 403],
    ["/assets/.%2e/secret.txt", 403],
    ["/assets/%252e%252e/secret.txt", 400],
    ["/assets/..%2fsecret.txt", 403],
    ["/assets/..%5csecret.txt", 400],
    ["/assets/sub%2f..%2f..%2fsecret.txt", 403],
    ["/assets/ship.png%3f/../../secret.txt", 400],
    ["/assets/ship.png%23/../../secret.txt", 400],
    ["/assets/%00ship.png", 400],
    ["/assets/%zz", 400],
    ["/assets//etc/passwd", 400],
    ["/assets/.hidden", 403],
    ["/assets/escape.txt", 403],
    ["/assets/up/secret.txt", 403],
    ["/assets/sub", 404],
    ["/assets/missing.png", 404],
    ["/secret.txt", 404],
    ["/../secret.txt", 404],
  ] as const)("%s → %i", async (target, status) => {
    const answer = await get(server, target);
    expect(answer.status).toBe(status);
    expect(answer.body).not.toContain("top secret");
  });

  test("the resolver itself refuses the same tricks", () => {
    expect(resolveStaticPath(game.assetsDir, "ship.png")).toMatchObject({ kind: "file" });
    expect(resolveStaticPath(game.assetsDir, "%2e%2e/secret.txt")).toMatchObject({ kind: "refused", status: 403 });
    expect(resolveStaticPath(game.assetsDir, "ship.png#x")).toMatchObject({ kind: "refused", status: 400 });
    expect(resolveStaticPath(game.assetsDir, "escape.txt")).toMatchObject({ kind: "refused", status: 403 });
  });

  test("only GET and HEAD", async () => {
    const status = await new Promise<number>((done, reject) => {
      const req = request({ host: "127.0.0.1", port: server.port, path: "/", method: "POST", headers: { Host: `127.0.0.1:${server.port}` } }, (res) => {
        res.resume();
        done(res.statusCode ?? 0);
      });
      req.on("error", reject);
      req.end();
    });
    expect(status).toBe(405);
  });
});

describe("live-update channel", () => {
  const origin = () => `http://127.0.0.1:${server.port}`;

  test("the served page carries the token; the right origin and token connect", async () => {
    expect((await get(server, "/")).body).toContain(server.token);
    expect(await connect(server, { origin: origin() })).toBe("open");
    expect(await connect(server, { origin: `http://localhost:${server.port}` })).toBe("open");
  });

  test("a foreign or missing Origin is refused", async () => {
    expect(await connect(server, { origin: "http://evil.example" })).toBe("403");
    expect(await connect(server, { origin: `http://evil.example:${server.port}` })).toBe("403");
    expect(await connect(server, { origin: "null" })).toBe("403");
    expect(await connect(server, {})).toBe("403");
  });

  test("a wrong or missing token is refused", async () => {
    expect(await connect(server, { origin: origin(), token: "0".repeat(server.token.length) })).toBe("401");
    expect(await connect(server, { origin: origin(), token: "" })).toBe("401");
  });

  test("a foreign Host is refused even with the right token", async () => {
    expect(await connect(server, { origin: origin(), host: "evil.example" })).toBe("403");
  });

  test("another path is refused", async () => {
    expect(await connect(server, { origin: origin(), path: "/other" })).toBe("404");
  });
});
