import { AsyncLocalStorage } from 'node:async_hooks';
import type { LoggerService } from '@nestjs/common';
import { Logger as NestPinoLogger, type PinoLogger } from 'nestjs-pino';
import pino, { type DestinationStream } from 'pino';
import pretty from 'pino-pretty';
import { containsCpr, maskCprs } from '@app/pathway';

export type LogLevel = 'error' | 'warn' | 'log' | 'debug' | 'verbose';
export const LOG_LEVELS: readonly LogLevel[] = ['error', 'warn', 'log', 'debug', 'verbose'];

/** JSON lines (the default), or one readable line per entry for a person at a terminal. */
export type LogFormat = 'json' | 'pretty';
const LOG_FORMATS: readonly LogFormat[] = ['json', 'pretty'];

/** LOG_LEVEL and LOG_FORMAT, with the problems of bad values (loadConfig reports them; the defaults stand in). */
export function logSettingsOf(env: NodeJS.ProcessEnv): { level: LogLevel; format: LogFormat; problems: string[] } {
  const problems: string[] = [];
  let level = (env.LOG_LEVEL || 'log') as LogLevel;
  if (!LOG_LEVELS.includes(level)) {
    problems.push(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}`);
    level = 'log';
  }
  let format = (env.LOG_FORMAT || 'json') as LogFormat;
  if (!LOG_FORMATS.includes(format)) {
    problems.push(`LOG_FORMAT must be one of ${LOG_FORMATS.join(', ')}`);
    format = 'json';
  }
  return { level, format, problems };
}

/** What every line logged while serving a request or handling a job carries, besides its own fields. */
export interface LogContext {
  requestId?: string;
  /** The command whose consequences these are: one id finds a command's whole life (events, jobs, deliveries). */
  correlationId?: string;
  /** The queue job being handled. */
  jobId?: string;
}

const logContexts = new AsyncLocalStorage<LogContext>();

/** Runs `fn` with these fields (added to any already in force) on every line it logs, across awaits. */
export function withLogContext<T>(fields: LogContext, fn: () => T): T {
  return logContexts.run({ ...logContexts.getStore(), ...fields }, fn);
}

/** The fields in force here (none outside a request or job). */
export function currentLogContext(): LogContext {
  return logContexts.getStore() ?? {};
}

export const REDACTED = '[REDACTED]';
export const CPR_MASK = '[CPR]';
/** Keys whose values never reach a log: credentials of any kind. */
const SECRET_KEY = /authorization|cookie|password|token|secret/i;
const MAX_DEPTH = 8;

/**
 * A value as it may be logged: the values of credential keys (authorization, cookie, set-cookie,
 * password, token, secret, in any case and as part of a longer key) replaced by `[REDACTED]`, and
 * every CPR number in a string, a number, an error's message or stack replaced by `[CPR]`. The one
 * place log redaction happens: every entry of the pino loggers below passes through it.
 */
export function redactForLog(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return maskCprs(value, CPR_MASK);
  if (typeof value === 'number' || typeof value === 'bigint') return containsCpr(String(value)) ? CPR_MASK : value;
  if (value === null || typeof value !== 'object') return value;
  if (depth >= MAX_DEPTH) return '[…]';
  if (value instanceof Error) {
    const code = (value as { code?: unknown }).code;
    return {
      type: value.name,
      message: maskCprs(value.message, CPR_MASK),
      ...(value.stack && { stack: maskCprs(value.stack, CPR_MASK) }),
      ...(code !== undefined && { code: redactForLog(code, depth + 1) }),
    };
  }
  if (Array.isArray(value)) return value.map((v) => redactForLog(v, depth + 1));
  if (value instanceof Date) return value;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    out[maskCprs(key, CPR_MASK)] = SECRET_KEY.test(key) ? REDACTED : redactForLog(v, depth + 1);
  }
  return out;
}

const PINO_LEVEL: Record<LogLevel, pino.Level> = {
  error: 'error',
  warn: 'warn',
  log: 'info',
  debug: 'debug',
  verbose: 'trace',
};

/**
 * The pino logger of a process (`service`: api, worker, cli). JSON: one object a line with an ISO
 * 8601 `time`, `level` as a label, `service`, the log context in force (request, correlation and
 * job ids) and the entry's own fields, `msg` last. Pretty: one line for a person, written
 * synchronously (pino-pretty as a stream, not a transport: nothing to resolve in a worker thread
 * from the bundled apps).
 */
export function createPinoLogger(
  service: string,
  settings: { level: LogLevel; format: LogFormat },
  destination?: DestinationStream,
): pino.Logger {
  const out =
    destination ??
    (settings.format === 'pretty'
      ? pretty({
          sync: true,
          singleLine: true,
          colorize: process.env.NO_COLOR === undefined,
          translateTime: 'SYS:yyyy-mm-dd HH:MM:ss.l',
          ignore: 'pid,hostname,service,context',
          messageFormat: '{if context}[{context}] {end}{msg}',
        })
      : pino.destination({ dest: 1, sync: true }));
  return pino(
    {
      level: PINO_LEVEL[settings.level],
      base: { service },
      timestamp: pino.stdTimeFunctions.isoTime,
      // Labels for machines; pino-pretty reads the numbers.
      formatters: settings.format === 'json' ? { level: (label) => ({ level: label }) } : undefined,
      mixin: () => ({ ...currentLogContext() }),
      // Errors are already plain objects (type, message, stack), made so by the redaction below.
      serializers: { err: (value: unknown) => value },
      hooks: {
        logMethod(args, method) {
          // An error alone, as pino takes it: under `err`, its message as the entry's.
          const [first, ...rest] = args as unknown[];
          const entry = first instanceof Error ? [{ err: first }, ...(rest.length ? rest : [first.message])] : args;
          method.apply(this, entry.map((arg) => redactForLog(arg)) as Parameters<typeof method>);
        },
      },
    },
    out,
  );
}

/**
 * Nest's own start-up lines: a line per module initialised, per controller and per route mapped
 * ("Mapped {/v1/cases, POST} route", about 70 of them), "Starting Nest application". They are
 * Nest's `log`; here they are `debug` (LOG_LEVEL=debug shows them), so that at the default level a
 * start says what matters and the dashboard's URL does not scroll away under them.
 */
export const FRAMEWORK_STARTUP_CONTEXTS: ReadonlySet<string> = new Set([
  'NestFactory',
  'InstanceLoader',
  'RoutesResolver',
  'RouterExplorer',
  'NestApplication',
]);

/** nestjs-pino's reading of Nest's arguments, with Nest's start-up lines one level down (FRAMEWORK_STARTUP_CONTEXTS). */
export class AppLogger extends NestPinoLogger {
  override log(message: unknown, ...optionalParams: unknown[]): void {
    const context = optionalParams[optionalParams.length - 1];
    if (typeof context === 'string' && FRAMEWORK_STARTUP_CONTEXTS.has(context))
      return super.debug(message, ...optionalParams);
    super.log(message, ...optionalParams);
  }
}

/**
 * The process's logger for Nest: every `new Logger('X')` writes through pino (its name as
 * `context`), with nestjs-pino's reading of Nest's arguments. Installed at once as Nest's logger,
 * so that even a failure before the application exists is logged this way.
 */
export function createAppLogger(service: string, env: NodeJS.ProcessEnv = process.env): LoggerService {
  return new AppLogger(createPinoLogger(service, logSettingsOf(env)) as unknown as PinoLogger, {});
}
