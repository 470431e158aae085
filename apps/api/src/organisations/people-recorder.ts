import { Inject, Injectable, Logger, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { Principal } from '@app/auth';
import { Clock } from '@app/config';
import { containsCpr, type Role } from '@app/pathway';
import { PeopleStore } from '@app/persistence';

/** Roles that only read (auditors) or administer (admins) are never assigned work: not in the directory. */
const NOT_RECORDED: ReadonlySet<Role> = new Set<Role>(['auditor', 'admin']);

/** How many sign-ins the process remembers before it forgets them all (and records each once more). */
const REMEMBERED = 10_000;

/**
 * Records each person who signs in in her organisations' directory of people (PeopleStore), the
 * first time this process sees her (with this name, role and organisations): one write per person
 * and process, never one per request. Her name is the token's `name` claim, or her subject.
 */
@Injectable()
export class PeopleRecorder {
  private readonly seen = new Set<string>();
  private readonly logger = new Logger(PeopleRecorder.name);

  constructor(
    @Inject(PeopleStore) private readonly people: PeopleStore,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  async record(principal: Principal): Promise<void> {
    // A subject that is a CPR number is never stored (the sign-in refuses one; another issuer might not).
    if (NOT_RECORDED.has(principal.role) || containsCpr(principal.sub, 'words')) return;
    const key = JSON.stringify([principal.sub, principal.role, principal.name ?? null, principal.organisations]);
    if (this.seen.has(key)) return;
    try {
      await this.people.signedIn(
        principal.sub,
        principal.name ?? principal.sub,
        principal.role,
        principal.organisations,
        this.clock.now(),
      );
    } catch (error) {
      // Her request does not depend on the directory: it is recorded at her next one.
      this.logger.warn(`could not record a sign-in in the directory of people: ${(error as Error).message}`);
      return;
    }
    if (this.seen.size >= REMEMBERED) this.seen.clear();
    this.seen.add(key);
  }

  /** Forgets that she was seen (she was removed from a directory): her next request records her again. */
  forget(personId: string): void {
    for (const key of this.seen) if ((JSON.parse(key) as unknown[])[0] === personId) this.seen.delete(key);
  }
}

/** After AuthGuard: records the principal it verified (PeopleRecorder). Never refuses. */
@Injectable()
export class RecordPersonGuard implements CanActivate {
  constructor(@Inject(PeopleRecorder) private readonly recorder: PeopleRecorder) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const principal = context.switchToHttp().getRequest<{ principal?: Principal }>().principal;
    if (principal) await this.recorder.record(principal);
    return true;
  }
}
