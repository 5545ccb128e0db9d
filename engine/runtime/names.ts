// JavaScript property and variable names for Ribbon names. Every user-derived name gets a prefix,
// so no Ribbon identifier can reach `__proto__`, `constructor` or any JavaScript global.

/** `max-speed` → `max$2dspeed`: every character outside [A-Za-z0-9_] becomes `$` + hex. */
export function mangle(name: string): string {
  return name.replace(/[^A-Za-z0-9_]/g, (character) => `$${character.charCodeAt(0).toString(16)}$`);
}

export const effectKey = (qualifiedName: string): string => `e_${mangle(qualifiedName)}`;
export const operationKey = (name: string): string => `o_${mangle(name)}`;
export const fieldKey = (name: string): string => `f_${mangle(name)}`;
export const exportKey = (name: string): string => `x_${mangle(name)}`;
export const stateKey = (name: string): string => `s_${mangle(name)}`;
export const poolKey = (name: string): string => `p_${mangle(name)}`;
