import { Logger as NestLogger } from '@nestjs/common';
import { Logger as NestPinoLogger, type PinoLogger } from 'nestjs-pino';
import {
  AppLogger,
  CPR_MASK,
  REDACTED,
  createPinoLogger,
  logSettingsOf,
  redactForLog,
  withLogContext,
  currentLogContext,
} from './logging';

/** A pino logger writing JSON lines into an array. */
function capture(level: 'log' | 'verbose' = 'log') {
  const lines: Record<string, unknown>[] = [];
  const logger = createPinoLogger(
    'test',
    { level, format: 'json' },
    { write: (s: string) => void lines.push(JSON.parse(s)) },
  );
  return { logger, lines };
}

describe('redactForLog', () => {
  it('redacts credentials by key, at any depth and in any case', () => {
    expect(
      redactForLog({
        headers: { Authorization: 'Bearer abc', cookie: 'sid=1', 'set-cookie': ['a=b'], accept: 'text/html' },
        user: { password: 'pw', apiToken: 't', clientSecret: 's', name: 'ann' },
        list: [{ refresh_token: 'r' }],
      }),
    ).toEqual({
      headers: { Authorization: REDACTED, cookie: REDACTED, 'set-cookie': REDACTED, accept: 'text/html' },
      user: { password: REDACTED, apiToken: REDACTED, clientSecret: REDACTED, name: 'ann' },
      list: [{ refresh_token: REDACTED }],
    });
  });

  it('masks CPR numbers in strings, numbers, keys and errors, and leaves other values alone', () => {
    const error = new Error('no case for 010190-1234');
    expect(
      redactForLog({
        note: 'cpr 0101901234 seen',
        n: 101901234,
        m: 1012901234,
        when: 1_767_225_600_000,
        '010190-1234': 1,
        error,
      }),
    ).toEqual({
      note: `cpr ${CPR_MASK} seen`,
      n: 101901234,
      m: CPR_MASK,
      when: 1_767_225_600_000,
      [CPR_MASK]: 1,
      error: {
        type: 'Error',
        message: `no case for ${CPR_MASK}`,
        stack: expect.stringContaining(`no case for ${CPR_MASK}`),
      },
    });
    expect(redactForLog('030487 1234')).toBe(CPR_MASK);
    expect(redactForLog(null)).toBeNull();
    expect(redactForLog(true)).toBe(true);
  });
});

describe('the pino logger', () => {
  it('writes JSON lines with an ISO 8601 time, the level as a label, the service and the log context', () => {
    const { logger, lines } = capture();
    withLogContext({ requestId: 'req-1' }, () =>
      withLogContext({ correlationId: 'c-1' }, () => logger.info({ context: 'X', n: 1 }, 'hello')),
    );
    logger.debug('not at log level');
    expect(lines).toEqual([
      {
        level: 'info',
        time: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/),
        service: 'test',
        requestId: 'req-1',
        correlationId: 'c-1',
        context: 'X',
        n: 1,
        msg: 'hello',
      },
    ]);
    expect(currentLogContext()).toEqual({});
  });

  it('redacts every entry: its message, its fields and an error’s stack', () => {
    const { logger, lines } = capture();
    logger.warn({ authorization: 'Bearer abc', cpr: '010190-1234' }, 'refused %s for 010190 1234', '0101901234');
    logger.error(new Error('boom 0101901234'));
    const text = JSON.stringify(lines);
    expect(text).not.toMatch(/abc|010190/);
    expect(lines[0]).toMatchObject({
      authorization: REDACTED,
      cpr: CPR_MASK,
      msg: `refused ${CPR_MASK} for ${CPR_MASK}`,
    });
    expect(lines[1]).toMatchObject({ msg: `boom ${CPR_MASK}`, err: { type: 'Error', message: `boom ${CPR_MASK}` } });
  });

  it('takes every Nest logger call, with its name as context, and a stack as an error', () => {
    const { logger, lines } = capture('verbose');
    const nest = new NestPinoLogger(logger as unknown as PinoLogger, {});
    NestLogger.overrideLogger(nest);
    try {
      new NestLogger('Worker').log('ready');
      new NestLogger('HTTP').error('TypeError: no 010190-1234', 'TypeError: no 010190-1234\n    at x (y.js:1:1)');
      new NestLogger('Relay').verbose({ msg: 'moved', rows: 3 });
    } finally {
      NestLogger.overrideLogger(false);
    }
    expect(lines).toEqual([
      expect.objectContaining({ level: 'info', context: 'Worker', msg: 'ready' }),
      expect.objectContaining({
        level: 'error',
        context: 'HTTP',
        err: expect.objectContaining({ message: `TypeError: no ${CPR_MASK}`, stack: expect.stringContaining(' at x') }),
      }),
      expect.objectContaining({ level: 'trace', context: 'Relay', msg: 'moved', rows: 3 }),
    ]);
    expect(JSON.stringify(lines)).not.toContain('010190');
  });
});

describe('AppLogger', () => {
  /** What Nest's own start-up writes, and a line of ours, through the app logger at `level`. */
  function start(level: 'log' | 'verbose') {
    const { logger, lines } = capture(level);
    NestLogger.overrideLogger(new AppLogger(logger as unknown as PinoLogger, {}));
    try {
      new NestLogger('NestFactory').log('Starting Nest application...');
      new NestLogger('InstanceLoader').log('CasesModule dependencies initialized');
      new NestLogger('RoutesResolver').log('CasesController {/v1/cases}:');
      new NestLogger('RouterExplorer').log('Mapped {/v1/cases, POST} route');
      new NestLogger('NestApplication').log('Nest application successfully started');
      new NestLogger('API').log('listening on http://127.0.0.1:3000');
      new NestLogger('RouterExplorer').warn('a warning stays a warning');
    } finally {
      NestLogger.overrideLogger(false);
    }
    return lines;
  }

  it("puts Nest's start-up lines (modules, routes mapped) at debug, and leaves every other line at its level", () => {
    expect(start('log')).toEqual([
      expect.objectContaining({ level: 'info', context: 'API', msg: 'listening on http://127.0.0.1:3000' }),
      expect.objectContaining({ level: 'warn', context: 'RouterExplorer', msg: 'a warning stays a warning' }),
    ]);
    const verbose = start('verbose');
    expect(verbose).toHaveLength(7);
    expect(verbose[3]).toMatchObject({
      level: 'debug',
      context: 'RouterExplorer',
      msg: 'Mapped {/v1/cases, POST} route',
    });
  });
});

describe('logSettingsOf', () => {
  it('reads LOG_LEVEL and LOG_FORMAT, with defaults and problems for bad values', () => {
    expect(logSettingsOf({})).toEqual({ level: 'log', format: 'json', problems: [] });
    expect(logSettingsOf({ LOG_LEVEL: 'debug', LOG_FORMAT: 'pretty' })).toEqual({
      level: 'debug',
      format: 'pretty',
      problems: [],
    });
    expect(logSettingsOf({ LOG_LEVEL: 'loud', LOG_FORMAT: 'xml' })).toEqual({
      level: 'log',
      format: 'json',
      problems: [expect.stringMatching(/^LOG_LEVEL must be one of/), 'LOG_FORMAT must be one of json, pretty'],
    });
  });
});
