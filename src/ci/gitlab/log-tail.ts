/**
 * The end of a GitLab job log as plain text. Runner logs carry ANSI colours, carriage-return
 * progress lines and collapsible-section markers
 * (`\e[0Ksection_start:<ts>:<name>\r\e[0K<header>`, https://docs.gitlab.com/ci/jobs/job_logs/),
 * none of which reads well in chat.
 */

/** Most lines and characters kept (the core bounds it again before posting). */
const MAX_LINES = 200;
const MAX_CHARS = 16 * 1024;

// biome-ignore lint/suspicious/noControlCharactersInRegex: ANSI escapes are control characters by definition.
const ansi = /\u001b\[[0-9;?]*[A-Za-z]/g;
const section = /section_(?:start|end):\d+:[^\r\n]*?\r/g;

/** Strips markers and colours, keeps what a terminal would show of each line, returns the last lines. */
export function traceTail(trace: string): string {
  // Only the end matters; a little extra keeps the first kept line whole.
  const end = trace.length > MAX_CHARS * 4 ? trace.slice(-MAX_CHARS * 4) : trace;
  const lines = end
    .replace(section, '')
    .replace(ansi, '')
    .split('\n')
    .map((line) => {
      // A carriage return overwrites the line: the terminal shows what came after the last one.
      const parts = line.replace(/\r+$/, '').split('\r');
      return parts[parts.length - 1] ?? '';
    });
  while (lines.length > 0 && lines[lines.length - 1]?.trim() === '') lines.pop();
  return lines.slice(-MAX_LINES).join('\n').slice(-MAX_CHARS);
}
