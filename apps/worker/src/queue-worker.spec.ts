import { UnrecoverableError } from 'bullmq';
import { scrubbed, withoutPersonalData } from './queue-worker';

describe('the errors a worker keeps with its jobs', () => {
  it('name no email address and no CPR number', () => {
    expect(
      withoutPersonalData(
        'SMTP relay refused recipient(s) nobody@hansen.example, Lone.Leder+alerts@kommune.dk for delivery e.x.r0.c1; cpr 010190-1234',
      ),
    ).toBe('SMTP relay refused recipient(s) [email], [email] for delivery e.x.r0.c1; cpr [CPR]');
    // A Message-ID and a URL stay: they name no one.
    expect(withoutPersonalData('sent: <e.case.alert.r0.c1@pathway> to https://kommune.example/hook')).toBe(
      'sent: <e.case.alert.r0.c1@pathway> to https://kommune.example/hook',
    );
  });

  it('are scrubbed in place, message and stack, and keep their class', () => {
    const error = new UnrecoverableError('dead-lettered after 3 attempt(s): 550 <nobody@hansen.example> unknown');
    const kept = scrubbed(error);
    expect(kept).toBe(error);
    expect(kept).toBeInstanceOf(UnrecoverableError);
    expect(kept.message).toBe('dead-lettered after 3 attempt(s): 550 <[email]> unknown');
    expect(kept.stack).not.toContain('@hansen.example');
    expect(kept.stack).toContain('queue-worker.spec.ts');
    expect(scrubbed('mailbox 030487-1234 full').message).toBe('mailbox [CPR] full');
  });
});
