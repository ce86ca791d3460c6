/** A command-line mistake (unknown flag, missing value...): printed as one line plus usage, exit 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}
