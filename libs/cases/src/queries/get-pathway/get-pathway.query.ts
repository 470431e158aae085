import { Query } from '@nestjs/cqrs';
import type { Policy } from '@app/pathway';

/** The active pathway policy, and the versions cases may still run under. */
export class GetPathwayQuery extends Query<{ active: Policy; versions: { name: string; version: number }[] }> {}
