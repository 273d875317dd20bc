import { GraphQLDateTimeISO } from "graphql-scalars";

/** ISO 8601 date-time in UTC, e.g. "2026-01-06T21:30:00.000Z". */
export const GraphQLDateTime = GraphQLDateTimeISO;
