// Core semantics of Ribbon as a player of the language sees them: what `print` shows.

import { describe, expect, it } from "vitest";
import { printed, rib } from "./support.ts";

describe("numbers", () => {
  it("i32 arithmetic wraps around in two's complement", () => {
    const lines = printed(rib`
      init := fun ().
          big := 2147483647
          print (2147483647 + 1)
          print (big * big)
          print (46341 * 46341)
          print (-big - 2)
          print (1 - 2147483647 - 2)
          x : mut = big
          x = x + 1
          print x
          print (-2147483648 / -1)
    `);
    expect(lines).toEqual(["-2147483648", "1", "-2147479015", "2147483647", "-2147483648", "-2147483648", "-2147483648"]);
  });

  it("integer / truncates toward zero and % takes the sign of the dividend", () => {
    const lines = printed(rib`
      init := fun ().
          print (-7 / 2)
          print (7 / -2)
          print (7 / 2)
          print (-7 % 3)
          print (7 % -3)
          print (7 % 3)
          print (-2147483648 % -1)
    `);
    expect(lines).toEqual(["-3", "-3", "3", "-1", "1", "1", "0"]);
  });

  it("f64 math and conversions between i32 and f64", () => {
    const lines = printed(rib`
      init := fun ().
          print (1.5 * 4.0 - 0.25)
          print (10.0 / 4.0)
          print (0.1 + 0.2)
          print (float 7 / 2.0)
          print (int 3.9)
          print (int -3.9)
          print (float 2147483647 + 1.0)
          print (sqrt 2.0)
          print (floor -2.5)
          print (abs -4 == 4)
          print (min (3, 4))
          print (max (2.5, 1.0))
          print (1.0 / 0.0)
    `);
    expect(lines).toEqual(["5.75", "2.5", "0.30000000000000004", "3.5", "3", "-3", "2147483648", "1.4142135623730951", "-3", "true", "3", "2.5", "Infinity"]);
  });
});

describe("strings, symbols and booleans", () => {
  it("concatenates strings and prints symbols with their quote", () => {
    const lines = printed(rib`
      init := fun ().
          name := "rib" + "bon"
          print (name + " " + str 5 + str 2.5)
          print 'chase
          print ('a == 'a)
          print ('a == 'b)
          print ("abc" < "abd")
    `);
    expect(lines).toEqual(["ribbon 52.5", "'chase", "true", "false", "true"]);
  });

  it("and / or short-circuit: the right side is not evaluated when the left decides", () => {
    const lines = printed(rib`
      noisy := fun (x: bool) -> bool.
          print "evaluated"
          x

      init := fun ().
          print (false and noisy true)
          print (true or noisy false)
          print (true and noisy false)
          print (false or noisy true)
          print (not (1 < 2))
    `);
    expect(lines).toEqual(["false", "true", "evaluated", "false", "evaluated", "true", "false"]);
  });
});

describe("operator precedence", () => {
  it("follows or < and < not < comparisons < + - < * / % < unary minus < application < field access", () => {
    const lines = printed(rib`
      f := fun (x: i32) -> i32. x * 10

      init := fun ().
          v := vec2 1.0 2.0
          print (not 1 == 2)
          print (true or false and false)
          print (1 + 2 * 3)
          print (10 - 3 - 2)
          print (100 / 10 / 5)
          print (-2 * 3)
          print (f 2 + 1)
          print (2 * f 3)
          print (f -2)
          print (-v.y)
    `);
    expect(lines).toEqual(["true", "true", "7", "5", "2", "-6", "21", "60", "-20", "-2"]);
  });
});

describe("control flow", () => {
  it("if / else if chains are expressions, in both the inline and the block form", () => {
    const lines = printed(rib`
      grade := fun (n: i32) -> Str.
          if n > 90 then "A" else if n > 50 then "B" else "C"

      classify := fun (hp: f64) -> Symbol.
          if hp > 60.0.
              'healthy
          else if hp > 20.0.
              'hurt
          else.
              'dying

      init := fun ().
          print (grade 95 + grade 60 + grade 10)
          print (classify 70.0)
          print (classify 42.0)
          print (classify 1.0)
          x := if grade 1 == "C" then 10 else 20
          print (x + 1)
    `);
    expect(lines).toEqual(["ABC", "'healthy", "'hurt", "'dying", "11"]);
  });

  it("while, for over a range, break and continue", () => {
    const lines = printed(rib`
      init := fun ().
          n : mut = 0
          odd : mut = 0
          while true.
              n = n + 1
              if n > 10.
                  break
              if n % 2 == 0.
                  continue
              odd = odd + n
          print odd
          total : mut = 0
          for i in 0 .. 5.
              if i == 3.
                  continue
              total = total + i
          print total
          for i in 5 .. 5.
              print "never"
          nested : mut = 0
          for i in 0 .. 3.
              for j in 0 .. 3.
                  if j > i.
                      break
                  nested = nested + 1
          print nested
    `);
    expect(lines).toEqual(["25", "7", "6"]);
  });

  it("return leaves a function early, from inside loops", () => {
    const lines = printed(rib`
      first-over := fun (limit: i32) -> i32.
          for i in 0 .. 100.
              if i * i > limit.
                  return i
          -1

      log-until := fun (stop: i32).
          i : mut = 0
          while true.
              if i == stop.
                  return
              print i
              i = i + 1

      init := fun ().
          print (first-over 50)
          print (first-over 100000)
          log-until 2
    `);
    expect(lines).toEqual(["8", "-1", "0", "1"]);
  });

  it("recursion, including mutual recursion", () => {
    const lines = printed(rib`
      fact := fun (n: i32) -> i32.
          if n <= 1 then 1 else n * fact (n - 1)

      is-even := fun (n: i32) -> bool. if n == 0 then true else is-odd (n - 1)
      is-odd := fun (n: i32) -> bool. if n == 0 then false else is-even (n - 1)

      fib := fun (n: i32) -> i32. if n < 2 then n else fib (n - 1) + fib (n - 2)

      init := fun ().
          print (fact 10)
          print (is-even 10)
          print (is-odd 7)
          print (fib 20)
    `);
    expect(lines).toEqual(["3628800", "true", "true", "6765"]);
  });

  it("match on literals, symbols and tuples with a fallback arm", () => {
    const lines = printed(rib`
      name := fun (n: i32) -> Str.
          match n.
              1 => "one"
              3 => "three"
              _ => "many"

      divide := fun (a: i32, b: i32) -> (i32, i32). (a / b, a % b)

      init := fun ().
          print (name 3 + name 1 + name 7)
          match divide (17, 5).
              (q, 0) => print q
              (q, r) => print (q * 10 + r)
          t := (1, 2.5, "x")
          match t.
              (a, b, c) => print (c + str (float a + b))
    `);
    expect(lines).toEqual(["threeonemany", "32", "x3.5"]);
  });
});

describe("functions as values", () => {
  it("lambdas close over locals and see and make later changes to them", () => {
    const lines = printed(rib`
      make-counter := fun () -> () -> i32.
          c : mut = 0
          fun () -> i32.
              c = c + 1
              c

      apply-twice := fun (f: (i32) -> i32, x: i32) -> i32.
          f (f x)

      init := fun ().
          k := make-counter ()
          other := make-counter ()
          k ()
          k ()
          print (k ())
          print (other ())
          step : mut = 3
          add := fun (x: i32) -> i32. x + step
          print (apply-twice (add, 1))
          step = 10
          print (add 1)
          total : mut = 0
          bump := fun (n: i32). total = total + n
          bump 4
          bump 5
          print total
    `);
    expect(lines).toEqual(["3", "1", "7", "11", "9"]);
  });

  it("a lambda mutates a captured Vec2 local", () => {
    const lines = printed(rib`
      init := fun ().
          v : mut = vec2 1.0 2.0
          push := fun (d: Vec2). v = v + d
          get := fun () -> Vec2. v
          push (vec2 1.0 1.0)
          push (vec2 1.0 1.0)
          print v
          v = vec2 0.0 0.5
          print (get ())
    `);
    expect(lines).toEqual(["vec2 3 4", "vec2 0 0.5"]);
  });
});

describe("structs", () => {
  it("omitted fields take their defaults", () => {
    const lines = printed(rib`
      Stats := struct { name: Str, strength: i32 = 3, speed: f64 = 1.5, origin: Vec2 = vec2 1.0 2.0 }

      init := fun ().
          s := Stats { name = "hero", strength = 7 }
          print s.name
          print s.strength
          print s.speed
          print s.origin
    `);
    expect(lines).toEqual(["hero", "7", "1.5", "vec2 1 2"]);
  });

  it("have value semantics: mutating a copy leaves the original alone, nested fields included", () => {
    const lines = printed(rib`
      Inner := struct { x: f64 = 0.0, v: Vec2 = vec2 1.0 1.0 }
      Outer := struct { inner: Inner = Inner { }, n: i32 = 0 }

      bump := fun (o: Outer) -> f64.
          c : mut = o
          c.inner.x = c.inner.x + 100.0
          c.inner.x

      init := fun ().
          a := Outer { n = 1 }
          b : mut = a
          b.n = 2
          b.inner.x = 5.0
          b.inner.v.x = 7.0
          print a.n
          print a.inner.x
          print a.inner.v
          print b.n
          print b.inner.x
          print b.inner.v
          print (bump a)
          print a.inner.x
          print (a == Outer { n = 1 })
          print (a == b)
    `);
    expect(lines).toEqual(["1", "0", "vec2 1 1", "2", "5", "vec2 7 1", "100", "0", "true", "false"]);
  });
});

describe("unions", () => {
  it("variants with payloads are built, matched and bound", () => {
    const lines = printed(rib`
      Shape := union { Circle { r: f64 }, Rect { w: f64, h: f64 = 1.0 }, Dot }

      area := fun (s: Shape) -> f64.
          match s.
              Shape/Circle { r } => 3.0 * r * r
              Shape/Rect { w, h = height } => w * height
              Shape/Dot => 0.0

      init := fun ().
          print (area (Shape/Circle { r = 2.0 }))
          print (area (Shape/Rect { w = 2.0, h = 3.5 }))
          print (area (Shape/Rect { w = 4.0 }))
          print (area Shape/Dot)
    `);
    expect(lines).toEqual(["12", "7", "4", "0"]);
  });
});

describe("Vec2", () => {
  it("arithmetic with vectors and scalars, length, normalize, dot and fields", () => {
    const lines = printed(rib`
      init := fun ().
          v := vec2 3.0 4.0
          print (length v)
          print (normalize v)
          print (dot (v, vec2 1.0 1.0))
          print (v * 2.0 + vec2 1.0 1.0)
          print (2.0 * v - v)
          print (v / 2.0)
          print (-v)
          print (v.x + v.y)
          w : mut = v
          w.y = 0.5
          print w
          print v
    `);
    expect(lines).toEqual(["5", "vec2 0.6 0.8", "7", "vec2 7 9", "vec2 3 4", "vec2 1.5 2", "vec2 -3 -4", "7", "vec2 3 0.5", "vec2 3 4"]);
  });
});
