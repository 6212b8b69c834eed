import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  collectEnvErrors,
  envBool,
  envCount,
  EnvError,
  envInt,
  envIntList,
  envSecret,
  envString,
  parseEnv,
} from './env';

const SPEC = {
  port: envInt('PORT', z.number().int().min(1).max(65535)),
  size: envCount('SIZE'),
  on: envBool('ON'),
  delays: envIntList('DELAYS'),
  group: { name: envString('NAME'), password: envSecret('PASSWORD') },
};

function problemsOf(attempt: () => unknown) {
  try {
    attempt();
  } catch (error) {
    if (error instanceof EnvError) return error.problems;
    throw error;
  }
  return [];
}

describe('the environment parser', () => {
  it('reads what is set and leaves out what is not (empty counts as unset)', () => {
    expect(
      parseEnv(
        SPEC,
        { PORT: ' 80 ', SIZE: '1_000_000', ON: 'Yes', DELAYS: '1, 2', NAME: '' },
        {
          title: 't',
        },
      ),
    ).toEqual({ port: 80, size: 1_000_000, on: true, delays: [1, 2] });
    expect(parseEnv(SPEC, { SIZE: '1e6', PASSWORD: ' p ' }, { title: 't' })).toEqual({
      size: 1_000_000,
      group: { password: ' p ' },
    });
  });

  it('reports every bad variable with its reason, echoing only what could not be read', () => {
    expect(
      problemsOf(() =>
        parseEnv(SPEC, { PORT: '0', SIZE: '-1', ON: 'maybe', DELAYS: '1,x' }, { title: 't' }),
      ),
    ).toEqual([
      { variable: 'PORT', reason: 'Too small: expected number to be >=1' },
      { variable: 'SIZE', reason: 'must be a positive integer', value: '-1' },
      { variable: 'ON', reason: 'expected true or false', value: 'maybe' },
      { variable: 'DELAYS', reason: 'expected integers separated by commas', value: '1,x' },
    ]);
  });

  it('names the variable behind a problem the consumer’s schema finds, once per variable', () => {
    const schema = z.object({
      port: z.number().max(1000).default(8),
      group: z.object({ name: z.string().min(3) }).optional(),
    });
    const problems = problemsOf(() =>
      parseEnv(SPEC, { PORT: '2000', NAME: 'ab', ON: 'x' }, { title: 't', schema }),
    );
    expect(problems.map((p) => p.variable)).toEqual(['ON', 'PORT', 'NAME']);
  });

  it('collects the problems of several readers into one error', () => {
    const error = (() => {
      try {
        collectEnvErrors('Başlatılamadı:', 'tr', [
          () => parseEnv({ a: envInt('A') }, { A: 'x' }, { title: '', lang: 'tr' }),
          () => parseEnv({ b: envBool('B') }, { B: 'x' }, { title: '', lang: 'tr' }),
        ]);
      } catch (e) {
        return e as EnvError;
      }
      return null;
    })();
    expect(error?.message).toBe(
      'Başlatılamadı:\n  A: tam sayı olmalı (yazılan: "x")\n  B: true veya false (1/0, yes/no, on/off) olmalı (yazılan: "x")',
    );
  });
});
