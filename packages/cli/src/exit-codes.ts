/** The exit codes of every rapport command, so scripts can tell failures apart. */
export const exitCodes = {
  ok: 0,
  fatal: 1,
  /** Some rows or events were rejected; the rest got in. */
  rejected: 2,
  /** An import got every row in, but scoring cannot value some orders (no rate of their currency). */
  unvalued: 3,
  /** EX_USAGE from sysexits.h: the command line itself was wrong. */
  usage: 64,
} as const;
