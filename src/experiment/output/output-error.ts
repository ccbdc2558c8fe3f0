/**
 * The error of output that cannot be written or read back, and the one-line
 * description of a file-system failure it carries.
 *
 * @module
 */

/** A problem writing output (unwritable folder, full disk): one line for the user, exit 1. */
export class OutputError extends Error {
  constructor(
    readonly target: string,
    problem: string,
  ) {
    super(`${target}: ${problem}`);
    this.name = 'OutputError';
  }
}

/** True for an error thrown by the file system (it has a code and a syscall). */
export function isFsError(e: unknown): boolean {
  return typeof (e as NodeJS.ErrnoException)?.code === 'string' && typeof (e as NodeJS.ErrnoException).syscall === 'string';
}

/** A file-system error in words (permission, space, not a directory, read-only), else its code or message. */
export function errorCode(e: unknown): string {
  const code = (e as NodeJS.ErrnoException)?.code;
  return code === 'EACCES' || code === 'EPERM' ? 'permission denied' : code === 'ENOSPC' ? 'no space left on device' : code === 'ENOTDIR' ? 'not a directory' : code === 'EROFS' ? 'read-only file system' : (code ?? (e as Error).message);
}
