import { summarise, viewAt, type CaseEvent, type CaseView, type OpenCase } from '@app/pathway';

/** The answer to a command: the new version, the events it appended and the case after them. */
export interface CommandResponse {
  version: number;
  events: { version: number; type: CaseEvent['type'] }[];
  case: CaseView;
}

export function commandResponse(state: OpenCase, events: CommandResponse['events'], now: Date): CommandResponse {
  return { version: state.version, events, case: viewAt(summarise(state), now) };
}
