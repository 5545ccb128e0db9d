// What output and new fibers cost in a tick's loop budget. The budget (world.ts: fresh for each
// module update and each fiber step) is spent one unit per loop iteration by generated code;
// printing a line, each drawing operation and each `spawn` spend it too. So a runaway loop that
// prints, draws or spawns is stopped by the same check, at its own loop's file:line:col, before
// it floods the log or builds millions of draw commands or fibers (out of memory, the page or
// process gone). Drawing costs the same with drawing off (headless worlds, quiet twins), so a
// replay stops where the recorded run stopped.

/** A printed line: at most 50,000 a tick within the default budget. */
export const PRINT_COST = 1_000;
/** A drawing operation: at most 500,000 a tick within the default budget. */
export const DRAW_COST = 100;
/** A new fiber (`spawn`): at most 50,000 a tick within the default budget. */
export const SPAWN_COST = 1_000;
