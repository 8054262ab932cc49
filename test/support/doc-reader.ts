import { join } from 'node:path';
import { checkAwsBlock } from './doc-aws-blocks';
import type { DocBlock, DocPage } from './doc-blocks';
import { DocRunner } from './doc-runner';
import { Background, type Ran, Terminal } from './doc-terminal';
import { WarmAwsCli } from './warm-aws-cli';
import { within } from './within';

/** Environment variables of this machine that a reader's fresh terminal has not got. */
const NOT_A_READERS = /^(AWS_|JOBS_|VITEST|NODE_OPTIONS$)/;

/**
 * A fresh terminal's environment: this machine's, without any AWS setting
 * (so a page that forgets its exports fails, as it would for a reader) and
 * with a developer's own AWS profile kept out; the data directory is the
 * walk's, given as the reader's `.local-data` would be found.
 */
export function readerEnv(dataDir: string): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !NOT_A_READERS.test(name)));
  return {
    ...env,
    JOBS_DATA_DIR: dataDir,
    // The local S3's buckets beside the data, not in the checkout.
    JOBS_S3_DIR: join(dataDir, 's3'),
    AWS_CONFIG_FILE: '/dev/null',
    AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
    AWS_PAGER: '',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  };
}

const SUBSCRIBED = /_handleAck :: packet type suback/;
const BLOCK_MS = 180_000;

/** What went wrong in a block, with what it printed. */
const failure = (block: DocBlock, why: string, ran?: Partial<Ran>) =>
  new Error(`${block.at}: ${why}\n--- stdout\n${ran?.stdout ?? ''}\n--- stderr\n${ran?.stderr ?? ''}`);

/**
 * Walks the pages as a reader does: one runner and one data directory for the
 * whole walk, a new terminal for each page (a page stands alone), background
 * listeners in terminals of their own, and each block checked as it runs.
 */
export class DocReader {
  readonly runner: DocRunner;
  /** What `sh aws` blocks left out for want of an account, for the test's report. */
  readonly needAccount: string[] = [];
  /** The pages' terminals' environment: the reader's, with the AWS CLI warm (see warm-aws-cli.ts) where it can be. */
  private terminalEnv: Promise<{ env: NodeJS.ProcessEnv; awsCli?: WarmAwsCli }> | undefined;

  constructor(
    private readonly root: string,
    private readonly env: NodeJS.ProcessEnv,
  ) {
    this.runner = new DocRunner(env, root);
  }

  async readPage(page: DocPage): Promise<void> {
    this.terminalEnv ??= WarmAwsCli.start(this.env).then((awsCli) =>
      awsCli ? { env: awsCli.env(this.env), awsCli } : { env: this.env },
    );
    const terminal = new Terminal((await this.terminalEnv).env, this.root);
    const listeners: { block: DocBlock; listener: Background }[] = [];
    try {
      for (const block of page.blocks) {
        switch (block.kind) {
          case 'runner':
            // A listener's messages must have come before its runner goes away.
            await this.settle(listeners);
            await this.runner.ensure(block.runnerArgs ?? []);
            break;
          case 'shell': {
            const ran = await terminal.run(block.text, BLOCK_MS);
            if (!ran.ok) throw failure(block, 'a command failed (or the block did not finish)', ran);
            if (block.output && !ran.stdout.includes(block.output))
              throw failure(block, `its output lacks ${JSON.stringify(block.output)}`, ran);
            break;
          }
          case 'background':
            // A new listener in the listener's terminal: the one before it is stopped there first.
            await this.settle(listeners);
            listeners.push({ block, listener: await this.listen(block) });
            break;
          case 'aws':
            this.needAccount.push(...(await checkAwsBlock(this.root, block.text)).needAccount);
            break;
          case 'slow':
            break;
        }
      }
      await this.settle(listeners);
    } finally {
      terminal.close();
      await Promise.all(listeners.map(({ listener }) => listener.stop()));
    }
  }

  /** Stops the runner, and the warm AWS CLI. */
  async close(): Promise<void> {
    await this.runner.stop();
    await (await this.terminalEnv)?.awsCli?.stop();
  }

  /** A listener, once it is subscribed (mqtt.js says so on stderr when asked to, which a reader sees as silence). */
  private async listen(block: DocBlock): Promise<Background> {
    const listener = new Background(block.text, { ...this.env, DEBUG: 'mqttjs:client' }, this.root);
    const subscribed = await within(30_000, () => SUBSCRIBED.test(listener.stderr) || !listener.running, 50);
    if (!subscribed || !listener.running || /subscription negated/.test(listener.stderr)) {
      await listener.stop();
      throw failure(block, 'the listener did not subscribe', listener);
    }
    return listener;
  }

  /** Each listener has printed what its block says it prints (within a deadline), and is stopped. */
  private async settle(listeners: { block: DocBlock; listener: Background }[]): Promise<void> {
    for (const { block, listener } of listeners.splice(0)) {
      const heard = !block.output || (await within(15_000, () => listener.stdout.includes(block.output!), 50));
      const stillListening = listener.running;
      await listener.stop();
      if (!heard) throw failure(block, `it did not print ${JSON.stringify(block.output)}`, listener);
      if (!stillListening) throw failure(block, 'it stopped by itself', listener);
    }
  }
}
