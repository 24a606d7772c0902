/** The exit codes of every rapport command, so scripts can tell failures apart. */
export const exitCodes = {
  ok: 0,
  fatal: 1,
  /** Some rows or events were rejected; the rest got in. */
  rejected: 2,
  /** EX_USAGE from sysexits.h: the command line itself was wrong. */
  usage: 64,
} as const;
