/**
 * The useful end of a job log. GitHub prefixes every line with a timestamp and marks groups and
 * errors with workflow commands (https://docs.github.com/en/actions/reference/workflows-and-actions/workflow-commands);
 * the failed step's output ends at its last `##[error]` line, before the post-job clean-up.
 */

// biome-ignore lint/suspicious/noControlCharactersInRegex: ANSI colour codes are control characters.
const ansi = /\u001b\[[0-9;]*m/g;
const stamp = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?Z ?/;

/** The last `maxLines` lines up to the last error, without timestamps, colours or group markers. */
export function jobLogTail(log: string, maxLines = 60, maxChars = 8000): string {
  const lines = log
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((line) => line.replace(stamp, '').replace(ansi, ''))
    .filter((line) => !line.startsWith('##[endgroup]'))
    .map((line) => line.replace(/^##\[group\]/, ''));
  let end = lines.length;
  for (let i = lines.length - 1; i >= 0; i--) {
    if (lines[i]?.includes('##[error]')) {
      end = i + 1;
      break;
    }
  }
  while (end > 0 && lines[end - 1]?.trim() === '') end--;
  return lines
    .slice(Math.max(0, end - maxLines), end)
    .join('\n')
    .slice(-maxChars);
}
