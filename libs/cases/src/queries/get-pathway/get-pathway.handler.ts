import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { LivePolicyRegistry } from '@app/persistence';
import { GetPathwayQuery } from './get-pathway.query';

@QueryHandler(GetPathwayQuery)
export class GetPathwayHandler implements IQueryHandler<GetPathwayQuery> {
  constructor(@Inject(LivePolicyRegistry) private readonly policies: LivePolicyRegistry) {}

  async execute() {
    await this.policies.refresh();
    return {
      active: this.policies.active,
      versions: this.policies.versions().map((p) => ({ name: p.name, version: p.version })),
    };
  }
}
