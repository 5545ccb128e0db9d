// Hashes for replays: FNV-1a 64-bit over UTF-8 for source texts (their key in a recording's source
// table), and per-module world hashes built from the runtime's own 32-bit FNV-1a pieces
// (runtime/snapshot.ts: pools, state values), so a hash mismatch already says which modules
// diverged. The world hash combines the tick, the random state and the module hashes.

import type { ModuleInstance } from "../runtime/module.ts";
import { createHasher, hashModuleInto, hashString, hashWord } from "../runtime/snapshot.ts";
import type { World } from "../runtime/world.ts";

/** FNV-1a 64 (offset basis cbf29ce484222325, prime 100000001b3) in four 16-bit limbs. */
export function contentHash(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let h0 = 0x2325;
  let h1 = 0x8422;
  let h2 = 0x9ce4;
  let h3 = 0xcbf2;
  for (let index = 0; index < bytes.length; index++) {
    h0 ^= bytes[index];
    // Multiply by 2^40 + 0x1b3: each limb times 0x1b3, plus the low limbs shifted up by 40 bits.
    const t0 = h0 * 0x1b3;
    let t1 = h1 * 0x1b3;
    let t2 = h2 * 0x1b3 + (h0 << 8);
    const t3 = h3 * 0x1b3 + (h1 << 8);
    t1 += t0 >>> 16;
    h0 = t0 & 0xffff;
    t2 += t1 >>> 16;
    h1 = t1 & 0xffff;
    h3 = (t3 + (t2 >>> 16)) & 0xffff;
    h2 = t2 & 0xffff;
  }
  return [h3, h2, h1, h0].map((limb) => limb.toString(16).padStart(4, "0")).join("");
}

export function hex32(value: number): string {
  return (value >>> 0).toString(16).padStart(8, "0");
}

/** One module's pools (by key) and state (by key), as hashWorld hashes them. */
export function hashModule(instance: ModuleInstance): number {
  const hasher = createHasher();
  const scratch = new Float64Array(1);
  const words = new Uint32Array(scratch.buffer);
  hashModuleInto(hasher, instance, scratch, words);
  return hasher.value;
}

export interface WorldHashes {
  /** Over the tick, the random state and every module's name and hash (format.ts HashRecord). */
  world: string;
  modules: Record<string, string>;
}

/** One pass over the world: each module hashed once, the world hash built from those. */
export function worldHashes(world: World): WorldHashes {
  const modules: Record<string, string> = {};
  const hasher = createHasher();
  hashWord(hasher, world.tick);
  for (const word of [world.random.a, world.random.b, world.random.c, world.random.d]) hashWord(hasher, word);
  for (const instance of world.modules) {
    const value = hashModule(instance);
    modules[instance.name] = hex32(value);
    hashString(hasher, instance.name);
    hashWord(hasher, value);
  }
  return { world: hex32(hasher.value), modules };
}
