// Errors a user can fix (bad file, bad flag, bad config), kept apart from bugs:
// the CLI prints their message alone and exits with code 2.
export class InputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "InputError";
  }
}

export function isInputError(error: unknown): error is InputError {
  return error instanceof InputError;
}
