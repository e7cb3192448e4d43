import { IConstruct } from 'constructs';
import { RouteAuth, RouteAuthKind } from './route-auth';
import { acknowledgeNagRule } from '../private/nag';

const AUTH_NAMES: Record<RouteAuthKind, string> = {
  [RouteAuthKind.NONE]: 'RouteAuth.none()',
  [RouteAuthKind.IAM]: 'IAM SigV4 (RouteAuth.iam())',
  [RouteAuthKind.COGNITO]: 'a Cognito user pool (RouteAuth.cognito())',
  [RouteAuthKind.JWT]: 'a JWT authorizer (RouteAuth.jwt())',
  [RouteAuthKind.LAMBDA]: 'a Lambda authorizer (RouteAuth.lambdaAuthorizer())',
};

/**
 * Acknowledges only what the user chose in code: a public route (APIG4, and COG4 on REST), or on REST
 * an authorizer other than Cognito (COG4 asks for Cognito on every method).
 */
export function acknowledgeRouteAuth(route: IConstruct, auth: RouteAuth, routeKey: string, rest: boolean): void {
  if (auth.kind === RouteAuthKind.NONE) {
    const reason = `The route ${routeKey} was made public on purpose in code with RouteAuth.none().`;
    acknowledgeNagRule(route, 'AwsSolutions-APIG4', reason);
    if (rest) {
      acknowledgeNagRule(route, 'AwsSolutions-COG4', reason);
    }
  } else if (rest && auth.kind !== RouteAuthKind.COGNITO) {
    acknowledgeNagRule(route, 'AwsSolutions-COG4',
      `The route ${routeKey} authorizes callers with ${AUTH_NAMES[auth.kind]}, chosen in code instead of a Cognito user pool.`);
  }
}

/** CORS preflight methods API Gateway creates for a REST API with `cors`. */
export function acknowledgePreflight(preflight: IConstruct): void {
  const reason = 'CORS preflight (OPTIONS) requests carry no credentials by browser design; API Gateway answers them with a mock integration and no function runs.';
  acknowledgeNagRule(preflight, 'AwsSolutions-APIG4', reason);
  acknowledgeNagRule(preflight, 'AwsSolutions-COG4', reason);
}
