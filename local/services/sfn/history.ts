import type { HistoryEvent, HistoryEventType } from '@aws-sdk/client-sfn';

/** One entry of aws-local-stepfunctions' event log (the package does not export the type). */
export interface LibraryEvent {
  type: string;
  timestamp: number;
  state?: { name: string; type: string; input: unknown; output?: unknown };
  input?: unknown;
  output?: unknown;
  Error?: string;
  Cause?: unknown;
}

const text = (value: unknown): string => (typeof value === 'string' ? value : JSON.stringify(value ?? null));

/**
 * An execution's history in Step Functions' shapes (`TaskStateEntered`,
 * `LambdaFunctionSucceeded`, ...), built from the library's event log and the task
 * events the stand-in emits itself while it invokes a Lambda or a service integration.
 *
 * Task events can arrive before the library's `StateEntered` of their state has been
 * read from its asynchronous log, so they wait for it; that keeps AWS's order.
 */
export class History {
  readonly events: HistoryEvent[] = [];
  private readonly waiting = new Map<string, Omit<HistoryEvent, 'id' | 'previousEventId'>[]>();
  private readonly entered = new Set<string>();

  constructor(private readonly roleArn: string) {}

  /** Adds the event AWS records for one library event. */
  fromLibrary(event: LibraryEvent): void {
    const timestamp = new Date(event.timestamp);
    const state = event.state;
    switch (event.type) {
      case 'ExecutionStarted':
        this.add({
          type: 'ExecutionStarted',
          timestamp,
          executionStartedEventDetails: {
            input: text(event.input),
            inputDetails: { truncated: false },
            roleArn: this.roleArn,
          },
        });
        return;
      case 'ExecutionSucceeded':
        this.add({
          type: 'ExecutionSucceeded',
          timestamp,
          executionSucceededEventDetails: { output: text(event.output), outputDetails: { truncated: false } },
        });
        return;
      case 'ExecutionFailed':
        this.add({
          type: 'ExecutionFailed',
          timestamp,
          executionFailedEventDetails: { error: event.Error, cause: text(event.Cause) },
        });
        return;
      case 'ExecutionAborted':
        this.add({ type: 'ExecutionAborted', timestamp, executionAbortedEventDetails: {} });
        return;
      case 'ExecutionTimeout':
        this.add({
          type: 'ExecutionTimedOut',
          timestamp,
          executionTimedOutEventDetails: { error: 'States.Timeout' },
        });
        return;
      case 'StateEntered':
        if (!state) return;
        this.add({
          type: `${state.type}StateEntered` as HistoryEventType,
          timestamp,
          stateEnteredEventDetails: {
            name: state.name,
            input: text(state.input),
            inputDetails: { truncated: false },
          },
        });
        this.entered.add(state.name);
        this.flush(state.name);
        return;
      case 'StateExited':
        if (!state) return;
        this.flush(state.name);
        this.entered.delete(state.name);
        this.add({
          type: `${state.type}StateExited` as HistoryEventType,
          timestamp,
          stateExitedEventDetails: {
            name: state.name,
            output: text(state.output),
            outputDetails: { truncated: false },
          },
        });
        return;
      case 'StateFailed':
      case 'StateCaught':
        if (state) {
          this.flush(state.name);
          this.entered.delete(state.name);
        }
        return;
      default:
        // Retries, Map iterations and Parallel branches have no event of their own in AWS's history.
        return;
    }
  }

  /** Adds a task event of `stateName` (Lambda or service integration), in order after its StateEntered. */
  task(stateName: string, event: Omit<HistoryEvent, 'id' | 'previousEventId'>): void {
    if (this.entered.has(stateName)) {
      this.add(event);
      return;
    }
    const queue = this.waiting.get(stateName) ?? [];
    queue.push(event);
    this.waiting.set(stateName, queue);
  }

  private flush(stateName: string): void {
    for (const event of this.waiting.get(stateName) ?? []) this.add(event);
    this.waiting.delete(stateName);
  }

  private add(event: Omit<HistoryEvent, 'id' | 'previousEventId'>): void {
    const id = this.events.length + 1;
    this.events.push({ ...event, id, previousEventId: id - 1 } as HistoryEvent);
  }
}
