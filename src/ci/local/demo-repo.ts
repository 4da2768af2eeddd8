/** Creates the demo git repository: tagged releases on main, a broken develop, a release branch. */
import { existsSync } from 'node:fs';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { buildScript, demoReadme, deployScript, installScript, testScript } from './demo-scripts.ts';
import { git } from './git.ts';

const identity = { name: 'Deckhand Demo', email: 'demo@example.com' };

type Files = Record<string, string>;

const scripts: Files = {
  'scripts/install.sh': installScript,
  'scripts/build.sh': buildScript,
  'scripts/test.sh': testScript,
  'scripts/deploy.sh': deployScript,
};

/** The history, oldest first: files written before each commit, then tags and branches made on it. */
const history: { branch: string; message: string; files: Files; tag?: string; branchHere?: string }[] = [
  {
    branch: 'main',
    message: 'Initial commit',
    files: {
      'README.md': demoReadme,
      VERSION: '1.0.0\n',
      'src/cart.conf': 'items=list\ntotal=sum(items)\n',
      'src/checkout.conf': 'steps=cart,address,payment\npayment_step=enabled\n',
      ...scripts,
    },
    tag: 'v1.0.0',
    branchHere: 'release/1.0',
  },
  { branch: 'main', message: 'Add order history page', files: { 'src/orders.conf': 'history=enabled\n' } },
  { branch: 'main', message: 'Release 1.1.0', files: { VERSION: '1.1.0\n' }, tag: 'v1.1.0' },
  {
    branch: 'main',
    message: 'Show prices with two decimals',
    files: { 'src/cart.conf': 'items=list\ntotal=sum(items)\nprice_format=0.00\n' },
  },
  { branch: 'main', message: 'Release 1.2.0', files: { VERSION: '1.2.0\n' }, tag: 'v1.2.0' },
  {
    branch: 'develop',
    message: 'Rework checkout flow',
    files: { 'src/checkout.conf': 'steps=cart,address\npayment_step=later\n' },
  },
];

/** Creates the demo repository at `dir`, unless something already exists there. */
export async function seedDemoRepo(dir: string): Promise<void> {
  if (existsSync(dir)) return;
  const partial = `${dir}.seeding-${process.pid}`;
  await rm(partial, { recursive: true, force: true });
  await mkdir(partial, { recursive: true });
  try {
    await createHistory(partial);
    if (existsSync(dir)) return;
    await rename(partial, dir);
  } finally {
    await rm(partial, { recursive: true, force: true });
  }
}

async function createHistory(dir: string): Promise<void> {
  let day = 1;
  const run = (args: string[]) => {
    const date = `2024-03-${String(day).padStart(2, '0')}T10:00:00+00:00`;
    return git(['-c', 'commit.gpgsign=false', '-c', 'tag.gpgsign=false', ...args], {
      cwd: dir,
      env: {
        GIT_AUTHOR_NAME: identity.name,
        GIT_AUTHOR_EMAIL: identity.email,
        GIT_COMMITTER_NAME: identity.name,
        GIT_COMMITTER_EMAIL: identity.email,
        GIT_AUTHOR_DATE: date,
        GIT_COMMITTER_DATE: date,
        GIT_CONFIG_NOSYSTEM: '1',
        GIT_CONFIG_GLOBAL: '/dev/null',
      },
    });
  };
  await run(['init', '--quiet']);
  await run(['symbolic-ref', 'HEAD', 'refs/heads/main']);
  await run(['config', 'core.fileMode', 'true']);
  let current = 'main';
  for (const commit of history) {
    if (commit.branch !== current) {
      await run(['checkout', '--quiet', '-b', commit.branch]);
      current = commit.branch;
    }
    for (const [name, text] of Object.entries(commit.files)) {
      const file = path.join(dir, name);
      await mkdir(path.dirname(file), { recursive: true });
      await writeFile(file, text, { mode: name.endsWith('.sh') ? 0o755 : 0o644 });
    }
    await run(['add', '--all']);
    await run(['commit', '--quiet', '-m', commit.message]);
    if (commit.tag) await run(['tag', commit.tag]);
    if (commit.branchHere) await run(['branch', commit.branchHere]);
    day += 1;
  }
  await run(['checkout', '--quiet', 'main']);
}
