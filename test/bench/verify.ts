import { type Operation, requestBody, type Variables } from "./operations";
import { type Dialect } from "./postgraphile-operations";
import { type Workload } from "./workload";

/** One request of the equality check, and the floor's answer to it. */
export interface GoldenCase {
  operation: Operation;
  variables: Variables;
  body: string;
  answer: unknown;
}

export class VerificationError extends Error {
  override name = "VerificationError";
}

async function post(url: string, body: string): Promise<{ status: number; json: unknown }> {
  const response = await fetch(`${url}/graphql`, { method: "POST", headers: { "content-type": "application/json" }, body });
  const text = await response.text();
  try {
    return { status: response.status, json: JSON.parse(text) };
  } catch {
    throw new VerificationError(`${url} answered ${response.status} with a body that is not JSON: ${text.slice(0, 200)}`);
  }
}

/** Asks the floor every checked request; its answers must be data without errors. */
export async function collectGolden(floorUrl: string, operations: readonly Operation[], workload: Workload): Promise<GoldenCase[]> {
  const cases: GoldenCase[] = [];
  for (const operation of operations) {
    for (const variables of operation.variables(workload).slice(0, operation.verifyCount)) {
      const body = requestBody(operation, variables);
      const { status, json } = await post(floorUrl, body);
      if (status !== 200 || (json as { errors?: unknown }).errors) {
        throw new VerificationError(`the floor failed ${describe(operation, variables)}: ${JSON.stringify(json).slice(0, 500)}`);
      }
      cases.push({ operation, variables, body, answer: json });
    }
  }
  return cases;
}

/** What the equality check covered for one variant. */
export interface VerifyOutcome {
  /** Answers compared (and found equal). */
  requests: number;
  /** Operations left out of the comparison, each with the reason. */
  excluded: Array<{ operation: string; reason: string }>;
}

/**
 * Throws on the first answer of `variant` that differs from the floor's, naming where. A
 * variant with a dialect is sent its own document, and its answer is compared once turned
 * into Newsgate's shape; operations it cannot express equivalently are skipped, with their
 * reason returned (and printed by the caller).
 */
export async function verifyVariant(
  variant: string,
  url: string,
  golden: readonly GoldenCase[],
  dialect?: Dialect,
): Promise<VerifyOutcome> {
  const outcome: VerifyOutcome = { requests: 0, excluded: [] };
  for (const { operation, variables, body, answer } of golden) {
    const reason = dialect?.notEquivalent[operation.key];
    if (reason !== undefined) {
      if (!outcome.excluded.some((excluded) => excluded.operation === operation.key))
        outcome.excluded.push({ operation: operation.key, reason });
      continue;
    }
    const response = await post(url, dialect ? dialect.requestBody(operation, variables) : body);
    const json = dialect ? translate(variant, dialect, operation, variables, response.json) : response.json;
    outcome.requests += 1;
    const difference = firstDifference(answer, json, "");
    if (difference) {
      throw new VerificationError(
        `${variant} differs from the floor on ${describe(operation, variables)} at ${difference.path.replace(/^\./, "") || "the top"}:\n` +
          `  floor:      ${preview(difference.expected)}\n  ${`${variant}:`.padEnd(11)} ${preview(difference.actual)}`,
      );
    }
  }
  return outcome;
}

function translate(variant: string, dialect: Dialect, operation: Operation, variables: Variables, answer: unknown): unknown {
  try {
    return dialect.toNewsgate(operation, variables, answer);
  } catch (error) {
    throw new VerificationError(
      `${variant} answered ${describe(operation, variables)} with a shape its mapping does not read (${(error as Error).message}): ${preview(answer)}`,
    );
  }
}

/** Key order never matters in JSON objects; array order always does. */
function canonicalise(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonicalise);
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((key) => [key, canonicalise((value as Record<string, unknown>)[key])]),
    );
  }
  return value;
}

function firstDifference(expected: unknown, actual: unknown, path: string): { path: string; expected: unknown; actual: unknown } | null {
  if (Array.isArray(expected) && Array.isArray(actual)) {
    for (let i = 0; i < Math.max(expected.length, actual.length); i++) {
      if (i >= expected.length || i >= actual.length) {
        return { path: `${path}.length`, expected: expected.length, actual: actual.length };
      }
      const inner = firstDifference(expected[i], actual[i], `${path}[${i}]`);
      if (inner) return inner;
    }
    return null;
  }
  if (isObject(expected) && isObject(actual)) {
    for (const key of [...new Set([...Object.keys(expected), ...Object.keys(actual)])].sort()) {
      if (!(key in expected) || !(key in actual)) return { path: `${path}.${key}`, expected: expected[key], actual: actual[key] };
      const inner = firstDifference(expected[key], actual[key], `${path}.${key}`);
      if (inner) return inner;
    }
    return null;
  }
  return Object.is(expected, actual) ? null : { path, expected, actual };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

function describe(operation: Operation, variables: Variables): string {
  return `${operation.label} ${JSON.stringify(variables)}`;
}

function preview(value: unknown): string {
  const text = value === undefined ? "(missing)" : JSON.stringify(canonicalise(value));
  return text.length > 300 ? `${text.slice(0, 300)}…` : text;
}
