// The dev server's request checks, each a pure function with its own tests (test/server):
// the Host header must name the loopback interface (no DNS rebinding), the live-update channel
// must come from our own origin and carry the session token, and a static path is decoded exactly
// once and must stay inside its served folder, symlinks included.

import { timingSafeEqual } from "node:crypto";
import { realpathSync, statSync } from "node:fs";
import { resolve, sep } from "node:path";

const LOOPBACK_NAMES = new Set(["localhost", "127.0.0.1", "[::1]"]);

/** `localhost`, `127.0.0.1` or `[::1]`, with no port or with the server's own port. */
export function isAllowedHost(host: string | undefined, port: number): boolean {
  if (!host) return false;
  const match = /^(\[[^\]]*\]|[^:]*)(?::(\d+))?$/.exec(host.toLowerCase());
  if (!match) return false;
  const [, name, hostPort] = match;
  return LOOPBACK_NAMES.has(name) && (hostPort === undefined || Number(hostPort) === port);
}

/** The page's own origin: `http://` + a loopback name + the server's port. */
export function isAllowedOrigin(origin: string | undefined, port: number): boolean {
  if (!origin) return false;
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false;
  }
  if (url.protocol !== "http:" || url.username || url.password || (url.pathname !== "/" && url.pathname !== "")) return false;
  if (origin !== `${url.protocol}//${url.host}`) return false;
  return LOOPBACK_NAMES.has(url.hostname) && Number(url.port || 80) === port;
}

/** Constant-time comparison of the channel token. */
export function isValidToken(given: string | null | undefined, expected: string): boolean {
  if (typeof given !== "string") return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

export type StaticResolution =
  | { kind: "file"; path: string }
  | { kind: "refused"; status: 400 | 403 | 404; reason: string };

const refuse = (status: 400 | 403 | 404, reason: string): StaticResolution => ({ kind: "refused", status, reason });

/**
 * Maps the part of a request target below a served folder (`ships/ship.png?v=2`) to a file inside
 * `root`. The query is dropped, then the path is percent-decoded once; anything that still looks
 * encoded or escapes afterwards (`%`, `?`, `#`, `\`, NUL, `.`/`..` segments, dotfiles, empty
 * segments) is refused, and the real path (symlinks resolved) must stay inside the real root.
 */
export function resolveStaticPath(root: string, target: string): StaticResolution {
  if (target.includes("#")) return refuse(400, "fragment in request target");
  const rawPath = target.split("?", 1)[0];
  let decoded: string;
  try {
    decoded = decodeURIComponent(rawPath);
  } catch {
    return refuse(400, "malformed percent-encoding");
  }
  if (/[%?#\\\0]/.test(decoded)) return refuse(400, "encoded or special characters in path");
  const segments = decoded.split("/");
  if (segments.length === 0 || segments.some((segment) => segment === "")) return refuse(400, "empty path segment");
  if (segments.some((segment) => segment === "." || segment === "..")) return refuse(403, "relative path segment");
  if (segments.some((segment) => segment.startsWith("."))) return refuse(403, "hidden file");
  return insideRoot(root, segments);
}

function insideRoot(root: string, segments: string[]): StaticResolution {
  const base = resolve(root);
  const candidate = resolve(base, ...segments);
  if (!candidate.startsWith(base + sep)) return refuse(403, "outside the served folder");
  let real: string;
  let realBase: string;
  try {
    realBase = realpathSync(base);
    real = realpathSync(candidate);
  } catch {
    return refuse(404, "not found");
  }
  if (!real.startsWith(realBase + sep)) return refuse(403, "symlink out of the served folder");
  try {
    if (!statSync(real).isFile()) return refuse(404, "not a file");
  } catch {
    return refuse(404, "not found");
  }
  return { kind: "file", path: real };
}
