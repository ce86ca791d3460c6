/** A template or cloud assembly that cannot be checked (not an object, no Resources map, unreadable, missing). */
export class TemplateInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TemplateInputError';
  }
}
