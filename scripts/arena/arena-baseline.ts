// The arena workload hand-written in TypeScript over Float64Array columns: the baseline the
// Ribbon version is measured against. It draws from the same seeded generator in the same
// order, so both print the same checksum.

import { nextRange, seedRandom, type RandomState } from "../../engine/runtime/random.ts";

const WIDTH = 1920;
const HEIGHT = 1080;
const PLAYER_X = 960;
const PLAYER_Y = 540;
const CHASE_RADIUS = 300;
const BITE_RADIUS = 40;
const WANDER_ACCEL = 60;
const CHASE_ACCEL = 120;
const FLEE_ACCEL = 150;
const DRAG = 0.8;
const REGEN = 5;
const BITE = 20;
const WANDER = 0;
const CHASE = 1;
const FLEE = 2;

export interface Arena {
  count: number;
  random: RandomState;
  posX: Float64Array;
  posY: Float64Array;
  velX: Float64Array;
  velY: Float64Array;
  hp: Float64Array;
  mode: Int32Array;
  timer: Float64Array;
  dirX: Float64Array;
  dirY: Float64Array;
}

export function createArena(count: number, seed: number): Arena {
  const random = seedRandom(seed);
  const arena: Arena = {
    count,
    random,
    posX: new Float64Array(count),
    posY: new Float64Array(count),
    velX: new Float64Array(count),
    velY: new Float64Array(count),
    hp: new Float64Array(count),
    mode: new Int32Array(count),
    timer: new Float64Array(count),
    dirX: new Float64Array(count).fill(1),
    dirY: new Float64Array(count),
  };
  for (let i = 0; i < count; i++) {
    arena.posX[i] = nextRange(random, 0, WIDTH);
    arena.posY[i] = nextRange(random, 0, HEIGHT);
    arena.hp[i] = nextRange(random, 20, 100);
    arena.timer[i] = nextRange(random, 0, 0.5);
  }
  return arena;
}

export function stepArena(arena: Arena, dt: number): void {
  const { posX, posY, velX, velY, hp, mode, timer, dirX, dirY, random } = arena;
  for (let i = 0; i < arena.count; i++) {
    const toX = PLAYER_X - posX[i];
    const toY = PLAYER_Y - posY[i];
    const dist = Math.sqrt(toX * toX + toY * toY);
    const current = hp[i] < 30 ? FLEE : dist < CHASE_RADIUS ? CHASE : WANDER;
    mode[i] = current;
    let ax: number;
    let ay: number;
    if (current === WANDER) {
      timer[i] = timer[i] - dt;
      if (timer[i] <= 0) {
        timer[i] = timer[i] + 0.5;
        const rx = nextRange(random, -1, 1);
        const ry = nextRange(random, -1, 1);
        const length = Math.sqrt(rx * rx + ry * ry);
        dirX[i] = length > 0 ? rx / length : 0;
        dirY[i] = length > 0 ? ry / length : 0;
      }
      ax = dirX[i] * WANDER_ACCEL;
      ay = dirY[i] * WANDER_ACCEL;
    } else {
      const scale = current === CHASE ? CHASE_ACCEL : 0 - FLEE_ACCEL;
      ax = (dist > 0 ? toX / dist : 0) * scale;
      ay = (dist > 0 ? toY / dist : 0) * scale;
    }
    const drag = 1 - DRAG * dt;
    velX[i] = (velX[i] + ax * dt) * drag;
    velY[i] = (velY[i] + ay * dt) * drag;
    posX[i] = posX[i] + velX[i] * dt;
    posY[i] = posY[i] + velY[i] * dt;
    if (posX[i] < 0) {
      posX[i] = 0 - posX[i];
      velX[i] = 0 - velX[i];
    } else if (posX[i] > WIDTH) {
      posX[i] = WIDTH * 2 - posX[i];
      velX[i] = 0 - velX[i];
    }
    if (posY[i] < 0) {
      posY[i] = 0 - posY[i];
      velY[i] = 0 - velY[i];
    } else if (posY[i] > HEIGHT) {
      posY[i] = HEIGHT * 2 - posY[i];
      velY[i] = 0 - velY[i];
    }
    if (current === CHASE && dist < BITE_RADIUS) hp[i] = hp[i] - BITE * dt;
    else hp[i] = Math.min(100, hp[i] + REGEN * dt);
  }
}

export function arenaChecksum(arena: Arena): number {
  let sum = 0;
  for (let i = 0; i < arena.count; i++) sum = sum + arena.posX[i] + arena.posY[i] * 3 + arena.hp[i] * 7 + arena.mode[i];
  return sum;
}
