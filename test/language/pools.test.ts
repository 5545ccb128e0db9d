// Pools: allocation, nested structs, unions and vectors stored in columns, count, free and reuse.

import { describe, expect, it } from "vitest";
import { printed, rib } from "./support.ts";

describe("pools", () => {
  it("nested struct fields of pool elements are read and written in place", () => {
    const lines = printed(rib`
      Inner := struct { x: f64 = 0.0, tag: Symbol = 'a, v: Vec2 = vec2 1.0 1.0 }
      Outer := struct { inner: Inner, n: i32 = 0 }
      outers := pool Outer

      init := fun ().
          b := alloc outers { inner = Inner { x = 1.0 } }
          b.inner.x = 4.5
          b.inner.tag = 'b
          b.inner.v.y = 9.0
          b.n = b.n + 2
          print b.inner.x
          print b.inner.tag
          print b.inner.v
          print b.n
          copy : mut = b.inner
          copy.x = 42.0
          print b.inner.x
          b.inner = Inner { x = 7.0 }
          print b.inner.x
          print copy.x
    `);
    expect(lines).toEqual(["4.5", "'b", "vec2 1 9", "2", "4.5", "7", "42"]);
  });

  it("unions written where they are built, or copied field to field, keep every variant's fields", () => {
    const lines = printed(rib`
      Link := union { End, To { id: i32, hot: bool = true, name: Symbol = 'n } }
      Shape := union { None, Dot { at: Vec2 }, Ring { at: Vec2, r: f64 } }
      Node := struct { next: Link = Link/End, other: Link = Link/End, shape: Shape = Shape/None }
      nodes := pool Node

      show := fun (l: Link) -> Str.
          match l.
              Link/End => "end"
              Link/To { id, hot, name } => "to " + str id + " " + (if hot then "hot" else "cold") + " " + str name

      shape := fun (s: Shape) -> Str.
          match s.
              Shape/None => "none"
              Shape/Dot { at } => "dot " + str at
              Shape/Ring { at, r } => "ring " + str at + " " + str r

      init := fun ().
          a := alloc nodes { }
          b := alloc nodes { }
          a.next = Link/To { id = 3, name = 'x }
          b.next = a.next
          a.next = Link/End
          print (show a.next)
          print (show b.next)
          b.other = Link/To { id = 9, hot = false }
          b.next = b.other
          b.other = b.other
          print (show b.next)
          print (show b.other)
          a.other = b.next
          b.next = Link/End
          print (show a.other)
          a.shape = Shape/Ring { at = vec2 1.0 2.0, r = 0.5 }
          b.shape = a.shape
          a.shape = Shape/Dot { at = vec2 4.0 5.0 }
          print (shape a.shape)
          print (shape b.shape)
    `);
    expect(lines).toEqual(["end", "to 3 hot 'x", "to 9 cold 'n", "to 9 cold 'n", "to 9 cold 'n", "dot vec2 4 5", "ring vec2 1 2 0.5"]);
  });

  it("unions with payloads are stored in pool elements, replaced and matched", () => {
    const lines = printed(rib`
      Mode := union { Idle, Move { dir: Vec2, speed: f64 = 2.0 }, Hunt { prey: i32 } }
      Agent := struct { mode: Mode = Mode/Idle, hp: i32 = 10 }
      agents := pool Agent

      describe := fun (a: *'agents Agent) -> Str.
          match a.mode.
              Mode/Idle => "idle"
              Mode/Move { dir, speed } => "move " + str (dir.x * speed)
              Mode/Hunt { prey } => "hunt " + str prey

      init := fun ().
          a := alloc agents { }
          b := alloc agents { mode = Mode/Move { dir = vec2 1.5 0.0 } }
          c := alloc agents { mode = Mode/Hunt { prey = 3 } }
          for x in agents.
              print (describe x)
          a.mode = Mode/Hunt { prey = 9 }
          b.mode = Mode/Idle
          c.mode = Mode/Move { dir = vec2 1.0 0.0, speed = 5.0 }
          for x in agents.
              print (describe x)
    `);
    expect(lines).toEqual(["idle", "move 3", "hunt 3", "hunt 9", "idle", "move 5"]);
  });

  it("vector fields in pools update with vector arithmetic", () => {
    const lines = printed(rib`
      Body := struct { pos: Vec2, vel: Vec2 = vec2 1.0 0.5 }
      bodies := pool Body

      init := fun ().
          alloc bodies { pos = vec2 0.0 0.0 }
          alloc bodies { pos = vec2 10.0 10.0, vel = vec2 -1.0 0.0 }
          for i in 0 .. 4.
              for b in bodies.
                  b.pos = b.pos + b.vel * 0.5
          for b in bodies.
              print b.pos
              print (length (b.pos - vec2 0.0 0.0) > 1.0)
              b.vel.x = 0.0 - b.vel.x
              print b.vel
    `);
    expect(lines).toEqual(["vec2 2 1", "true", "vec2 -1 0.5", "vec2 8 10", "true", "vec2 1 0"]);
  });

  it("count, free, alive, and reuse of freed slots", () => {
    const lines = printed(rib`
      Item := struct { id: i32 }
      items := pool Item

      ids := fun () -> Str.
          line : mut = ""
          for it in items.
              line = line + str it.id + " "
          line

      init := fun ().
          a := alloc items { id = 1 }
          b := alloc items { id = 2 }
          c := alloc items { id = 3 }
          d := alloc items { id = 4 }
          print (count items)
          free b
          free c
          print (count items)
          print (alive b)
          print (alive a)
          print (ids ())
          e := alloc items { id = 5 }
          print (count items)
          print (ids ())
          print (alive b)
          print (alive e)
          print (b == e)
          print (e.id)
    `);
    // The freed slot of c is reused by e, so e is visited where c was; b's old handle stays dead.
    expect(lines).toEqual(["4", "2", "false", "true", "1 4 ", "3", "1 5 4 ", "false", "true", "false", "5"]);
  });

  it("iteration after frees follows slots, the most recently freed slot reused first, the same every run", () => {
    const program = rib`
      Item := struct { id: i32 }
      items := pool Item

      init := fun ().
          for i in 1 .. 7.
              alloc items { id = i }
          for it in items.
              if it.id == 2 or it.id == 4 or it.id == 5.
                  free it
          for i in 7 .. 10.
              alloc items { id = i }
          line : mut = ""
          for it in items.
              line = line + str it.id + " "
          print line
    `;
    const first = printed(program);
    expect(first).toEqual(["1 9 3 8 7 6 "]);
    expect(printed(program)).toEqual(first);
  });

  it("freeing while iterating skips nothing and visits nothing twice", () => {
    const lines = printed(rib`
      Item := struct { id: i32 }
      items := pool Item

      init := fun ().
          for i in 0 .. 6.
              alloc items { id = i }
          visited : mut = 0
          for it in items.
              visited = visited + 1
              if it.id % 2 == 0.
                  free it
          print visited
          print (count items)
    `);
    expect(lines).toEqual(["6", "3"]);
  });

  it("pool elements keep their values from tick to tick", () => {
    const lines = printed(
      rib`
        Counter := struct { n: i32 = 0 }
        counters := pool Counter
        ticks : mut = 0

        init := fun ().
            alloc counters { }
            alloc counters { n = 100 }

        update := fun (dt: f64).
            ticks = ticks + 1
            for c in counters.
                c.n = c.n + 1
            if ticks == 5.
                for c in counters.
                    print c.n
      `,
      8,
    );
    expect(lines).toEqual(["5", "105"]);
  });

  it("a loop following pointers into its own pool reads and writes the current elements, also while the pool grows", () => {
    // Node i points at node i - 1. The loop writes through those pointers and allocates on the
    // way, so the pool outgrows its arrays (32 slots) in the middle of the loop.
    const lines = printed(rib`
      Prev := union { None, Some { node: *'nodes Node } }
      Node := struct { value: i32, prev: Prev = Prev/None }
      nodes := pool Node

      init := fun ().
          last : mut = alloc nodes { value = 0 }
          for i in 1 .. 31.
              last = alloc nodes { value = i, prev = Prev/Some { node = last } }
          total : mut = 0
          for n in nodes.
              match n.prev.
                  Prev/Some { node } =>
                      if n.value % 5 == 0 then alloc nodes { value = 100 + n.value, prev = Prev/Some { node = node } }
                      node.value = node.value + 1000
                      total = total + node.value
                  Prev/None => ()
          print total
          for n in nodes.
              if n.value >= 100 and n.value < 1000.
                  match n.prev.
                      Prev/Some { node } => print node.value
                      Prev/None => print "none"
    `);
    expect(lines).toEqual(["30435", "1004", "1009", "1014", "1019", "1024", "1029"]);
  });
});

// Union locals read out of pools and taken apart by `match` are kept as scalars by the code
// generator (codegen/scalar-unions.ts); these programs pin what they must still do.
describe("union values in locals", () => {
  const LIST = rib`
    Item := struct { value: i32, next: Link = Link/End }
    Link := union { End, To { item: *'items Item } }
    items := pool Item

    sum := fun (first: Link) -> i32.
        total : mut = 0
        link : mut = first
        while true.
            match link.
                Link/End => break
                Link/To { item } =>
                    total = total + item.value
                    link = item.next
        total
  `;

  it("a linked list walked through a local, from a pool field, a constructor and a call", () => {
    const lines = printed(`${LIST}
init := fun ().
    c := alloc items { value = 3 }
    b := alloc items { value = 2, next = Link/To { item = c } }
    a := alloc items { value = 1, next = Link/To { item = b } }
    print (sum (Link/To { item = a }))
    link : mut = a.next
    steps : mut = 0
    while true.
        match link.
            Link/To { item } =>
                steps = steps + 1
                link = item.next
            _ => break
    print steps
    link = Link/To { item = c }
    match link.
        Link/End => print "end"
        Link/To { item } => print item.value
    free c
    link = b.next
    match link.
        Link/To { item } => print (alive item)
        Link/End => print "end"
`);
    expect(lines).toEqual(["6", "2", "3", "false"]);
  });

  it("variants whose fields share a name with other types, literal field patterns and booleans from a pool", () => {
    const lines = printed(rib`
      Shape := union { Dot, Disc { size: f64, solid: bool }, Box { size: i32 } }
      Slot := struct { shape: Shape }
      slots := pool Slot

      init := fun ().
          alloc slots { shape = Shape/Disc { size = 2.5, solid = true } }
          alloc slots { shape = Shape/Box { size = 4 } }
          alloc slots { shape = Shape/Dot }
          alloc slots { shape = Shape/Box { size = 0 } }
          for s in slots.
              shape : mut = Shape/Dot
              shape = s.shape
              match shape.
                  Shape/Disc { size, solid } => print (if solid then size * 2.0 else size)
                  Shape/Box { size = 0 } => print "empty box"
                  Shape/Box { size } => print (size * 10)
                  Shape/Dot => print "dot"
    `);
    expect(lines).toEqual(["5", "40", "dot", "empty box"]);
  });

  it("a union local that is also passed whole, compared or seen by a closure keeps working", () => {
    const lines = printed(`${LIST}
count-links := fun (link: Link) -> i32.
    match link.
        Link/End => 0
        Link/To { item } => 1 + count-links item.next

init := fun ().
    b := alloc items { value = 5 }
    a := alloc items { value = 4, next = Link/To { item = b } }
    link : mut = a.next
    print (count-links link)
    print (link == Link/End)
    show := fun (). match link.
        Link/End => print "end"
        Link/To { item } => print item.value
    show ()
    link = b.next
    show ()
`);
    expect(lines).toEqual(["1", "false", "5", "end"]);
  });

  it("a union of bare variants in a local: compared, stored, passed, returned and matched", () => {
    // Such a local is kept as its tag alone (codegen/scalar-unions.ts) wherever no closure sees it.
    const program = rib`
      Mode := union { Rest, Walk, Run }
      Mover := struct { mode: Mode = Mode/Rest, speed: f64 = 0.0 }
      movers := pool Mover
      last : mut = Mode/Rest

      faster := fun (mode: Mode) -> Mode.
          match mode.
              Mode/Rest => Mode/Walk
              _ => Mode/Run

      pick := fun (speed: f64) -> Mode.
          if speed > 5.0 then Mode/Run else if speed > 0.0 then Mode/Walk else Mode/Rest

      kept := fun (mode: Mode) -> Mode.
          copy := mode
          copy

      init := fun ().
          alloc movers { speed = 3.0 }
          alloc movers { speed = 9.0, mode = Mode/Walk }
          for m in movers.
              mode : mut = pick m.speed
              print (mode == Mode/Walk)
              print (Mode/Walk == mode)
              print (mode != m.mode)
              m.mode = mode
              print (m.mode == mode)
              other := mode
              mode = faster mode
              print (other == mode)
              print (other != mode)
              print (kept other == other)
              print mode
              last = mode
              copy := alloc movers { mode = other, speed = 0.0 }
              print copy.mode
              free copy
              seen := mode
              same := fun () -> bool. seen == Mode/Run
              print (same ())
              match mode.
                  Mode/Run => print "run"
                  Mode/Walk => print "walk"
                  Mode/Rest => print "rest"
          for m in movers.
              print m.mode
          print last
    `;
    const expected = [
      ...["true", "true", "true", "true", "false", "true", "true", "Mode/Run", "Mode/Walk", "true", "run"],
      ...["false", "false", "true", "true", "true", "false", "true", "Mode/Run", "Mode/Run", "true", "run"],
      ...["Mode/Walk", "Mode/Run", "Mode/Run"],
    ];
    expect(printed(program)).toEqual(expected);
    expect(printed(program, 1, 1, { inline: false })).toEqual(expected);
  });
});
