/** JUnit XML reports: find them in a workspace and sum them up as a TestSummary. */
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import type { FailedTest, TestSummary } from '../../core/pipeline-events.ts';
import { matchFiles } from './glob.ts';

const maxFileBytes = 10 * 1024 * 1024;
const maxFailures = 50;
const maxMessage = 500;

type Node = Record<string, unknown>;

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  processEntities: { enabled: true, maxTotalExpansions: 10_000, maxExpandedLength: 100_000 },
  isArray: (name) => ['testsuite', 'testcase', 'failure', 'error', 'skipped'].includes(name),
});

const asNodes = (value: unknown): unknown[] =>
  Array.isArray(value) ? value : value === undefined ? [] : [value];

function text(value: unknown): string | undefined {
  if (typeof value === 'string' || typeof value === 'number') return String(value);
  if (value && typeof value === 'object') {
    const node = value as Node;
    const attr = node['@_message'] ?? node['#text'];
    if (typeof attr === 'string' || typeof attr === 'number') return String(attr);
  }
  return undefined;
}

function shortMessage(value: unknown): string | undefined {
  const message = text(value)?.trim();
  if (!message) return undefined;
  const first = message.split('\n')[0] ?? message;
  return first.length > maxMessage ? `${first.slice(0, maxMessage - 1)}…` : first;
}

function attr(node: Node, name: string): string | undefined {
  const value = node[`@_${name}`];
  return typeof value === 'string' || typeof value === 'number' ? String(value) : undefined;
}

/** An empty summary. */
export function emptySummary(): TestSummary {
  return { total: 0, failed: 0, skipped: 0, failures: [] };
}

function addSuite(suite: Node, summary: TestSummary): void {
  const suiteName = attr(suite, 'name') ?? '';
  for (const raw of asNodes(suite.testcase)) {
    const testcase = (raw && typeof raw === 'object' ? raw : {}) as Node;
    summary.total += 1;
    const problem = asNodes(testcase.failure)[0] ?? asNodes(testcase.error)[0];
    if ('failure' in testcase || 'error' in testcase) {
      summary.failed += 1;
      const failure: FailedTest = {
        suite: suiteName || attr(testcase, 'classname') || '',
        name: attr(testcase, 'name') ?? '(unnamed)',
      };
      const message = shortMessage(problem);
      if (message) failure.message = message;
      if (summary.failures.length < maxFailures) summary.failures.push(failure);
    } else if ('skipped' in testcase) {
      summary.skipped += 1;
    }
  }
  for (const nested of asNodes(suite.testsuite)) {
    if (nested && typeof nested === 'object') addSuite(nested as Node, summary);
  }
}

/** Parses one JUnit document into `summary`; throws when it is not well-formed JUnit XML. */
export function addJunitXml(xml: string, summary: TestSummary): void {
  const valid = XMLValidator.validate(xml);
  if (valid !== true) throw new Error(`line ${valid.err.line}: ${valid.err.msg}`);
  const doc = parser.parse(xml) as Node;
  const root = (doc.testsuites ?? undefined) as Node | string | undefined;
  const suites = root !== undefined ? asNodes(typeof root === 'object' ? root.testsuite : []) : doc.testsuite;
  if (root === undefined && doc.testsuite === undefined)
    throw new Error('no <testsuites> or <testsuite> element');
  for (const suite of asNodes(suites)) {
    if (suite && typeof suite === 'object') addSuite(suite as Node, summary);
  }
}

export interface JunitLogger {
  warn(obj: object, msg?: string): void;
}

/** Reads every report matching `patterns` under `workspace`; undefined when none was found. */
export async function collectJunit(
  workspace: string,
  patterns: string[],
  logger: JunitLogger,
): Promise<TestSummary | undefined> {
  if (patterns.length === 0) return undefined;
  const summary = emptySummary();
  let parsed = 0;
  for (const file of matchFiles(workspace, patterns)) {
    const relative = path.relative(workspace, file);
    try {
      if ((await stat(file)).size > maxFileBytes) throw new Error('file is larger than 10 MB');
      addJunitXml(await readFile(file, 'utf8'), summary);
      parsed += 1;
    } catch (error) {
      logger.warn({ file: relative, err: (error as Error).message }, 'skipping unreadable JUnit report');
    }
  }
  return parsed > 0 ? summary : undefined;
}
