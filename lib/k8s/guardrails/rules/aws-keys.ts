import { Manifest } from '../manifest-model';

// Shared by the static-key rules (WI-K8S-1, WI-K8S-2).

/** The environment variables that carry static AWS credentials. */
export const AWS_KEY_VARIABLES = ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN'];
/** Access key ids: AKIA (long-term) or ASIA (temporary) and 16 more characters. */
export const ACCESS_KEY_ID = /\b(AKIA|ASIA)[A-Z2-7]{16}\b/;

/** The data keys and decoded values of a Secret or ConfigMap, then its stringData (none for other kinds). */
export function entriesOf(m: Manifest): readonly (readonly [string, string])[] {
  return m.entries;
}
