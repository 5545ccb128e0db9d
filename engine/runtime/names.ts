// JavaScript property and variable names for Ribbon names. Every user-derived name gets a prefix,
// so no Ribbon identifier can reach `__proto__`, `constructor` or any JavaScript global.

/** `max-speed` → `max$2dspeed`: every character outside [A-Za-z0-9_] becomes `$` + hex. */
export function mangle(name: string): string {
  // A loop rather than a regular expression: code generation calls this for every name it emits.
  let result = "";
  let start = 0;
  for (let index = 0; index < name.length; index++) {
    const code = name.charCodeAt(index);
    if ((code >= 97 && code <= 122) || (code >= 65 && code <= 90) || (code >= 48 && code <= 57) || code === 95) continue;
    result += `${name.slice(start, index)}$${code.toString(16)}$`;
    start = index + 1;
  }
  return start === 0 ? name : result + name.slice(start);
}

export const effectKey = (qualifiedName: string): string => `e_${mangle(qualifiedName)}`;
export const operationKey = (name: string): string => `o_${mangle(name)}`;
export const fieldKey = (name: string): string => `f_${mangle(name)}`;
export const exportKey = (name: string): string => `x_${mangle(name)}`;
export const stateKey = (name: string): string => `s_${mangle(name)}`;
export const poolKey = (name: string): string => `p_${mangle(name)}`;
