// Sub-expression visiting for code generation analyses ("may this loop body free?"); shared with
// the checker, which owns it (code generation may import the checker, not the other way round).

export { childExpressions, someExpression } from "../checker/walk.ts";
