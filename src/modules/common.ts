/** Small types every module kind shares. */

/** Where conventional secrets (SLACK_BOT_TOKEN…) are read. */
export type Env = Record<string, string | undefined>;

export interface ModuleLogger {
  info(o: object, m?: string): void;
  warn(o: object, m?: string): void;
  error(o: object, m?: string): void;
}
