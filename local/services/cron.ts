/**
 * @deprecated Schedule expressions are read by `functions/shared/schedule-expression.ts` (its
 * {@link ScheduleExpressionError} says what is wrong). This re-export only keeps `local/main.ts`'s
 * `--sweeper-schedule` check compiling until that file's flags are rewritten; delete it then.
 */
export {
  parseScheduleExpression as parseExpression,
  ScheduleExpressionError,
} from '../../functions/shared/schedule-expression.js';
