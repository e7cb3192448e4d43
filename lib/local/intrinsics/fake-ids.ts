import { createHash } from 'node:crypto';

/** A stable pseudo-random id (lowercase letters and digits) derived from a seed, like the ids AWS assigns. */
export function fakeId(seed: string, length = 10): string {
  const digest = createHash('sha256').update(seed).digest();
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
  let id = '';
  for (let i = 0; i < length; i++) id += alphabet[digest[i] % alphabet.length];
  return id;
}

/**
 * The physical name CloudFormation would generate for a resource without an explicit name
 * (`<stack>-<logicalId>-<suffix>`), cut to the limit of the resource kind.
 */
export function generatedName(stackName: string, logicalId: string, maxLength = 64): string {
  const suffix = fakeId(`${stackName}/${logicalId}`, 8).toUpperCase();
  const room = maxLength - suffix.length - 2;
  const stack = stackName.slice(0, Math.min(stackName.length, Math.floor(room / 3)));
  const logical = logicalId.slice(0, room - stack.length);
  return `${stack}-${logical}-${suffix}`;
}
