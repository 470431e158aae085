import { boundShutdown } from './shutdown';

describe('boundShutdown', () => {
  afterEach(() => {
    jest.useRealTimers();
    jest.restoreAllMocks();
  });

  it('exits once the grace has passed after SIGTERM or SIGINT, and not before', () => {
    jest.useFakeTimers();
    const handlers = new Map<string, () => void>();
    jest.spyOn(process, 'once').mockImplementation(((event: string, handler: () => void) => {
      handlers.set(event, handler);
      return process;
    }) as typeof process.once);
    const exit = jest.spyOn(process, 'exit').mockImplementation((() => undefined) as typeof process.exit);

    boundShutdown('Worker', 5_000);
    expect([...handlers.keys()].sort()).toEqual(['SIGINT', 'SIGTERM']);
    handlers.get('SIGTERM')!();
    jest.advanceTimersByTime(4_999);
    expect(exit).not.toHaveBeenCalled();
    jest.advanceTimersByTime(1);
    expect(exit).toHaveBeenCalledWith(1);
  });
});
