// Determinism: the random state is part of the world, so a seed fixes everything a program prints.

import { describe, expect, it } from "vitest";
import { printed, rib } from "./support.ts";

const dice = rib`
  import engine/rand

  Spark := struct { pos: Vec2, life: f64 }
  sparks := pool Spark
  ticks : mut = 0

  wander := fun ().
      for i in 0 .. 3.
          print ("fiber " + str (rand/int (1, 100)))
          next-frame ()

  init := fun ().
      spawn wander
      print (rand/float ())

  update := fun (dt: f64).
      ticks = ticks + 1
      if rand/chance 0.5.
          alloc sparks { pos = vec2 (rand/range (-1.0, 1.0)) (rand/range (-1.0, 1.0)), life = rand/float () }
      for s in sparks.
          s.life = s.life - 0.3
          if s.life < 0.0.
              free s
      print (str (count sparks) + " " + str (rand/int (0, 9)))
`;

describe("determinism", () => {
  it("the same seed gives the same output, run after run", () => {
    const first = printed(dice, 20, 42);
    const second = printed(dice, 20, 42);
    expect(first.length).toBe(1 + 20 + 3);
    expect(second).toEqual(first);
  });

  it("different seeds give different output", () => {
    expect(printed(dice, 20, 1)).not.toEqual(printed(dice, 20, 2));
  });

  it("random numbers stay in their ranges; rand/int is half-open like `a .. b`", () => {
    const lines = printed(
      rib`
        import engine/rand

        init := fun ().
            ok : mut = true
            threes : mut = 0
            fours : mut = 0
            for i in 0 .. 1000.
                n := rand/int (3, 5)
                if n == 3 then threes = threes + 1
                if n == 4 then fours = fours + 1
                f := rand/range (-2.0, -1.0)
                u := rand/float ()
                ok = ok and f >= -2.0 and f < -1.0 and u >= 0.0 and u < 1.0
            print ok
            print (threes + fours)
            print (threes > 400 and fours > 400)
      `,
      1,
      7,
    );
    expect(lines).toEqual(["true", "1000", "true"]);
  });
});
