import { BREAKER_CIRCUITS_ENV, BREAKER_TABLE_ENV } from '../../contract';

const LIST_IT = 'the ResilientFunction\'s circuitBreaker.circuits';

/**
 * Store errors that no retry fixes: each names what the user has to change. The breaker logs one error
 * line per circuit and kind (not per call) so a misconfigured circuit is loud without flooding the log.
 */
const PERMANENT: Record<string, (circuit: string, table: string) => string> = {
  AccessDeniedException: (circuit) => `list "${circuit}" in ${LIST_IT} (or CircuitBreakerTable.grantBreaker)`,
  ResourceNotFoundException: (_, table) => `table "${table}" does not exist here: check ${BREAKER_TABLE_ENV} or tableName`,
  ValidationException: (_, table) => `check tableName ("${table}") and the item's size`,
  UnrecognizedClientException: () => 'give the function AWS credentials',
};

/** The fix for a store error that will not go away by itself, or undefined for a transient one. */
export function permanentStoreErrorFix(error: unknown, circuit: string, table: string): string | undefined {
  return Object.hasOwn(PERMANENT, (error as Error)?.name) ? PERMANENT[(error as Error).name](circuit, table) : undefined;
}

/**
 * A warning when the function's grant (the circuits the construct listed) does not cover this circuit:
 * every store request would be denied. Undefined when the circuit is covered or the grant is open.
 */
export function circuitOutsideGrantWarning(circuit: string, granted = process.env[BREAKER_CIRCUITS_ENV]): string | undefined {
  if (!granted || granted.split(',').includes(circuit)) return undefined;
  return `CircuitBreaker "${circuit}": this function is granted only the circuits ${granted.split(',').join(', ')} (${BREAKER_CIRCUITS_ENV}): DynamoDB will deny every request. Add "${circuit}" to ${LIST_IT}.`;
}
