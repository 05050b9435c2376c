// A prepaid key as people type it, checked before it is sent: the same rules as the service
// (functions/core PrepaidKeyCode, CheckCharacter). A typo is caught here, at once, and never
// costs the user one of their attempts.

export const ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
const LENGTH = 25;
const GROUP = 5;

const EXP: number[] = [];
const LOG: number[] = new Array(32).fill(0);
{
  let x = 1;
  for (let i = 0; i < 31; i++) {
    EXP[i] = x;
    LOG[x] = i;
    x <<= 1;
    if (x & 32) x ^= 0b100101;
  }
  for (let i = 31; i < 64; i++) EXP[i] = EXP[i - 31];
}

function multiply(a: number, b: number): number {
  return a === 0 || b === 0 ? 0 : EXP[LOG[a] + LOG[b]];
}

/** The value of a typed character (O reads as 0, I and L as 1), or -1 for a character no key has. */
export function valueOf(c: string): number {
  const upper = c.toUpperCase();
  if (upper === "O") return 0;
  if (upper === "I" || upper === "L") return 1;
  return ALPHABET.indexOf(upper);
}

export interface Typed {
  /** The symbols typed so far, look-alikes corrected, in groups of five: what the field shows. */
  formatted: string;
  /** How many symbols. */
  length: number;
  /** A character that can be in no key (U, punctuation…), if one was typed. */
  invalidCharacter: string | null;
  /** 25 symbols whose check character matches. */
  complete: boolean;
  /** 25 symbols whose check character does not match: a typo somewhere. */
  checkFailed: boolean;
}

export function readKey(input: string): Typed {
  const values: number[] = [];
  let invalidCharacter: string | null = null;
  for (const c of input) {
    if (/[\s\-_‐-―−]/.test(c)) continue;
    const value = valueOf(c);
    if (value < 0) {
      invalidCharacter ??= c;
      continue;
    }
    if (values.length < LENGTH) values.push(value);
  }
  const symbols = values.map((v) => ALPHABET[v]).join("");
  const groups: string[] = [];
  for (let i = 0; i < symbols.length; i += GROUP) groups.push(symbols.slice(i, i + GROUP));
  const full = values.length === LENGTH;
  const valid = full && values.reduce((sum, v, i) => sum ^ multiply(v, EXP[i % 31]), 0) === 0;
  return { formatted: groups.join("-"), length: values.length, invalidCharacter, complete: valid, checkFailed: full && !valid };
}

/**
 * The key in a pasted text ("Clave: QMQ0B-FWQPJ-BY38V-P2NX3-M3SQG", an email line): five groups of
 * five, or 25 symbols, separated only by dashes or spaces, preferring one whose check character
 * holds. Null when the text holds nothing shaped like a key (then it is typed as it comes).
 */
export function keyInText(text: string): string | null {
  const runs = [...text.matchAll(/[0-9A-Za-z]+/g)];
  const candidates = runs.filter((run) => run[0].length === LENGTH).map((run) => run[0]);
  const groupsPerKey = LENGTH / GROUP;
  for (let i = 0; i + groupsPerKey <= runs.length; i++) {
    const groups = runs.slice(i, i + groupsPerKey);
    const joined = groups.every((run, j) => run[0].length === GROUP && (j === 0
      || /^[\s\-_‐-―−]*$/.test(text.slice(groups[j - 1].index! + GROUP, run.index))));
    if (joined) candidates.push(groups.map((run) => run[0]).join(""));
  }
  return candidates.find((candidate) => readKey(candidate).complete) ?? candidates[0] ?? null;
}
