import { GetExecutionHistoryCommand, type HistoryEvent, type SFNClient } from '@aws-sdk/client-sfn';

const END_EVENTS = new Set([
  'ExecutionSucceeded',
  'ExecutionFailed',
  'ExecutionAborted',
  'ExecutionTimedOut',
]);

/** Reads an execution's full history through the public GetExecutionHistory API, every page. */
export async function readHistory(sfn: SFNClient, executionArn: string): Promise<HistoryEvent[]> {
  const events: HistoryEvent[] = [];
  let nextToken: string | undefined;
  do {
    const page = await sfn.send(
      new GetExecutionHistoryCommand({ executionArn, nextToken, maxResults: 1000 }),
    );
    events.push(...(page.events ?? []));
    nextToken = page.nextToken;
  } while (nextToken);
  return events;
}

/**
 * Follows an execution through the public GetExecutionHistory API, as the AWS console
 * does: yields each new history event in order until the execution ends, or until `signal` aborts.
 */
export async function* followExecution(
  sfn: SFNClient,
  executionArn: string,
  pollMs = 250,
  signal?: AbortSignal,
): AsyncGenerator<HistoryEvent> {
  let seen = 0;
  while (!signal?.aborted) {
    const events = await readHistory(sfn, executionArn);
    for (const event of events.slice(seen)) {
      yield event;
      if (END_EVENTS.has(event.type ?? '')) return;
    }
    seen = events.length;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(done, pollMs);
      function done() {
        clearTimeout(timer);
        signal?.removeEventListener('abort', done);
        resolve();
      }
      signal?.addEventListener('abort', done);
    });
  }
}

/** Terminal styling that respects NO_COLOR and plain (non-TTY) output. */
export function styles(stream: NodeJS.WriteStream) {
  const color = stream.isTTY === true && process.env.NO_COLOR === undefined;
  const wrap = (code: string) => (text: string) => (color ? `\u001b[${code}m${text}\u001b[0m` : text);
  return {
    bold: wrap('1'),
    dim: wrap('2'),
    green: wrap('32'),
    red: wrap('31'),
    yellow: wrap('33'),
    cyan: wrap('36'),
  };
}

/** The states whose entry is shown: the steps that do something, and the ends. */
const SHOWN = new Set([
  'TaskStateEntered',
  'WaitStateEntered',
  'MapStateEntered',
  'ParallelStateEntered',
  'FailStateEntered',
  'SucceedStateEntered',
]);

/** States of the bounded wait loops: on a terminal they share one live line. */
function isPollState(name: string): boolean {
  return /^(WaitFor|Check|Poll)/.test(name);
}

/**
 * Prints an execution's progress: each state as it is entered with the elapsed time and,
 * for status checks, what it is waiting for. On a TTY the poll loops update one line with
 * a spinner; otherwise every line is printed as it happens.
 */
export class ProgressPrinter {
  private readonly started = Date.now();
  private live: string | undefined;
  private frame = 0;
  private lastDetail: string | undefined;
  /** On a terminal: what the current wait loop last said it waits for, shown on the live line. */
  private loopDetail: string | undefined;
  private readonly timer: NodeJS.Timeout | undefined;
  private readonly style: ReturnType<typeof styles>;

  constructor(private readonly out: NodeJS.WriteStream = process.stdout) {
    this.style = styles(out);
    if (out.isTTY) this.timer = setInterval(() => this.redraw(), 100);
  }

  /** Takes one history event. */
  event(event: HistoryEvent): void {
    const entered = event.stateEnteredEventDetails;
    if (entered?.name) {
      // Pass and Choice states are the workflow's plumbing, not steps a person waits for.
      if (!SHOWN.has(event.type ?? '')) return;
      if (!isPollState(entered.name)) {
        // On a terminal the loop's last word (what it found) stays on screen once the loop is over.
        if (this.loopDetail !== undefined) this.line(`  ${this.loopDetail}`);
        this.loopDetail = undefined;
        this.line(entered.name);
      } else if (this.out.isTTY && this.loopDetail === undefined) {
        this.setLive(entered.name);
      }
      return;
    }
    // A status check's output says what the loop waits for; print it when it changes.
    const exited = event.stateExitedEventDetails;
    if (exited?.name?.startsWith('Check') && exited.output) {
      const output = JSON.parse(exited.output) as { status?: { detail?: string } };
      const detail = output.status?.detail;
      if (!detail) return;
      if (this.out.isTTY) {
        this.loopDetail = detail;
        this.setLive(detail);
      } else if (detail !== this.lastDetail) {
        this.line(`  ${detail}`);
      }
      this.lastDetail = detail;
    }
  }

  /** Ends the live line and stops the spinner. */
  close(): void {
    if (this.timer) clearInterval(this.timer);
    this.finishLive();
    this.loopDetail = undefined;
  }

  private elapsed(): string {
    return `${((Date.now() - this.started) / 1000).toFixed(1).padStart(6)}s`;
  }

  private line(text: string): void {
    this.finishLive();
    this.out.write(`${this.style.dim(this.elapsed())}  ${text}\n`);
  }

  private setLive(text: string): void {
    this.live = text;
    this.redraw();
  }

  private redraw(): void {
    if (this.live === undefined) return;
    const spinner = '⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏'[this.frame++ % 10];
    // A pseudo-terminal may report 0 columns: assume a common width then.
    const width = Math.max((this.out.columns || 100) - 12, 20);
    this.out.write(
      `\r\u001b[2K${this.style.dim(this.elapsed())}  ${this.style.cyan(spinner ?? '')} ${this.live.slice(0, width)}`,
    );
  }

  private finishLive(): void {
    if (this.live === undefined) return;
    this.live = undefined;
    this.out.write('\r\u001b[2K');
  }
}
