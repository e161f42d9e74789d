/** A date-time error whose message says what Java would say, in words a user can act on. */
export class DateError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DateError';
  }
}
