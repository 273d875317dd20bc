import { BadInputError } from "../errors";

/** `since` is inclusive and `until` exclusive, so consecutive windows never overlap. */
export function checkTimeWindow(since: Date | null | undefined, until: Date | null | undefined): void {
  if (since && until && since.getTime() >= until.getTime()) {
    throw new BadInputError(`filter.since (${since.toISOString()}) must be earlier than filter.until (${until.toISOString()})`, {
      argument: "filter",
    });
  }
}
