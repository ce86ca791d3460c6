/** Where commands print: progress and results to `line`, problems to `error` (tests capture both). */
export interface Reporter {
  line(text: string): void;
  error(text: string): void;
}

/** The console: progress on stdout, problems on stderr. */
export const CONSOLE_REPORTER: Reporter = {
  line: (text) => console.log(text),
  error: (text) => console.error(text),
};
