import type { CommandUnknownOpts } from '@commander-js/extra-typings';
import { describe, expect, it } from 'vitest';
import { upArguments } from '../../cli/commands/local.js';
import { buildProgram } from '../../cli/program.js';
import { flagOf } from '../../functions/shared/settings/index.js';
import { flagTerm, STAND_IN_FLAG_KEYS, STAND_IN_FLAGS, takesValue } from '../../local/flag-table.js';

function helpOf(command: CommandUnknownOpts): string {
  let text = '';
  command.configureOutput({ writeOut: (chunk) => (text += chunk) });
  command.outputHelp();
  return text;
}

function leaves(command: CommandUnknownOpts): CommandUnknownOpts[] {
  return command.commands.length === 0 ? [command] : command.commands.flatMap(leaves);
}

const program = buildProgram();
const commands = leaves(program as unknown as CommandUnknownOpts);

describe('dbaf --help', () => {
  it('offers every command of the issue', () => {
    expect(
      commands.map((command) => (command.parent === program ? command.name() : `local ${command.name()}`)),
    ).toEqual([
      'build',
      'validate',
      'clone',
      'list',
      'show',
      'extend',
      'delete',
      'reset',
      'schedule-refresh',
      'unschedule-refresh',
      'schedules',
      'connect',
      'local up',
      'local demo',
    ]);
  });

  it.each(
    commands.map((command) => [command.name(), command]),
  )('%s --help shows examples', (_name, command) => {
    expect(helpOf(command)).toMatch(/\nExamples:\n {2}\$ dbaf /);
  });

  it('documents the exit codes', () => {
    const help = helpOf(program as unknown as CommandUnknownOpts);
    for (const code of ['0', '1', '2', '3', '4', '5', '6', '130'])
      expect(help).toMatch(new RegExp(`\\n {2}${code} +\\S`));
  });

  it.each(['list', 'show', 'validate'])('%s has --json for scripts', (name) => {
    const command = commands.find((candidate) => candidate.name() === name);
    expect(command?.options.map((option) => option.long)).toContain('--json');
  });
});

describe('dbaf local up', () => {
  const up = commands.find((command) => command.name() === 'up');

  it.each(
    STAND_IN_FLAG_KEYS,
  )('offers the stand-in flag %s, described as its usage text, and passes it on', (key) => {
    const { summary } = STAND_IN_FLAGS[key];
    const option = up?.options.find((candidate) => candidate.long === `--${flagOf(key)}`);
    expect(option?.flags).toBe(flagTerm(key));
    expect(option?.description).toContain(summary);
    const value = takesValue(key) ? '7' : true;
    expect(upArguments({ [key]: value })).toEqual(
      value === true ? [`--${flagOf(key)}`] : [`--${flagOf(key)}`, value],
    );
  });
});
