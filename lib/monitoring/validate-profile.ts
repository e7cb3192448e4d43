import { AlarmProfile } from './alarm-profile';
import { PropsValidator } from '../private/validation';

/** Records a problem when `profile` is not an AlarmProfile (e.g. a string from a config file or another jsii language). */
export function validateAlarmProfile(v: PropsValidator, prop: string, profile: AlarmProfile | undefined): void {
  const allowed = Object.values(AlarmProfile) as string[];
  if (profile !== undefined) {
    v.check(allowed.includes(profile), prop, profile, `AlarmProfile.ESSENTIAL or AlarmProfile.FULL (${allowed.map((p) => JSON.stringify(p)).join(' or ')})`);
  }
}
