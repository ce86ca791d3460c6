/** A template or cloud assembly that cannot be checked (not an object, no Resources map, unreadable, missing). */
export class TemplateInputError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'TemplateInputError';
  }
}
