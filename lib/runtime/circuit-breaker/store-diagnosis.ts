import { BREAKER_CIRCUITS_ENV, BREAKER_TABLE_ENV } from '../../contract';

/**
 * Store errors that no retry fixes: each names what the user has to change. The breaker logs one error
 * line per circuit and kind (not per call) so a misconfigured circuit is loud without flooding the log.
 */
const PERMANENT: Record<string, (circuit: string, table: string) => string> = {
  AccessDeniedException: (circuit) => `the function may not read or write circuit "${circuit}": list it in the ResilientFunction's circuitBreaker.circuits (or CircuitBreakerTable.grantBreaker), which grants exactly those items`,
  ResourceNotFoundException: (_circuit, table) => `table "${table}" does not exist in this account and region: check ${BREAKER_TABLE_ENV} or the tableName option`,
  ValidationException: (_circuit, table) => `DynamoDB rejected the request as invalid: check the tableName option ("${table}") and that the circuit's item is within DynamoDB's limits`,
  UnrecognizedClientException: () => 'the function has no valid AWS credentials for DynamoDB',
};

/** The fix for a store error that will not go away by itself, or undefined for a transient one. */
export function permanentStoreErrorFix(error: unknown, circuit: string, table: string): string | undefined {
  const name = (error as { name?: unknown } | null)?.name;
  return typeof name === 'string' ? PERMANENT[name]?.(circuit, table) : undefined;
}

/**
 * A warning when the function's grant (the circuits the construct listed) does not cover this circuit:
 * every store request would be denied. Undefined when the circuit is covered or the grant is open.
 */
export function circuitOutsideGrantWarning(circuit: string, granted = process.env[BREAKER_CIRCUITS_ENV]): string | undefined {
  if (!granted) return undefined;
  const names = granted.split(',');
  if (names.includes(circuit)) return undefined;
  return `CircuitBreaker "${circuit}": this function is granted only the circuits ${names.join(', ')} (${BREAKER_CIRCUITS_ENV}), so DynamoDB will deny every request for "${circuit}" and the circuit can never open. Add "${circuit}" to the ResilientFunction's circuitBreaker.circuits.`;
}
