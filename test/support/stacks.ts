import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { ResilientFunction, ResilientFunctionProps } from '../../lib';

export const ECHO_HANDLER = path.join(__dirname, '..', 'fixtures', 'handlers', 'echo.ts');

/** A fresh stack in a fresh app, for one test. */
export function newStack(id = 'Test'): Stack {
  return new Stack(new App(), id);
}

/** A ResilientFunction over the echo fixture with the given props. */
export function echoFunction(stack: Stack, props: Partial<ResilientFunctionProps> = {}, id = 'Fn'): ResilientFunction {
  return new ResilientFunction(stack, id, { entry: ECHO_HANDLER, ...props });
}
