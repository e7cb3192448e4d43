import { BREAKER_CIRCUITS_ENV, BREAKER_TABLE_ENV } from '../../contract';

const LIST_IT = 'the ResilientFunction\'s circuitBreaker.circuits';

/**
 * Store errors that no retry fixes: each names what the user has to change. The breaker logs one error
 * line per circuit and kind (not per call) so a misconfigured circuit is loud without flooding the log.
 */
const PERMANENT: Record<string, (circuit: string, table: string) => string> = {
  AccessDeniedException: (circuit) => `the function may not use circuit "${circuit}": list it in ${LIST_IT} (or CircuitBreakerTable.grantBreaker)`,
  ResourceNotFoundException: (_, table) => `table "${table}" does not exist in this account and region: check ${BREAKER_TABLE_ENV} or the tableName option`,
  ValidationException: (_, table) => `check the tableName option ("${table}") and that the item is within DynamoDB's limits`,
  UnrecognizedClientException: () => 'give the function valid AWS credentials',
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
  return `CircuitBreaker "${circuit}": this function is granted only the circuits ${granted.split(',').join(', ')} (${BREAKER_CIRCUITS_ENV}), so DynamoDB will deny every request and the circuit can never open. Add "${circuit}" to ${LIST_IT}.`;
}
