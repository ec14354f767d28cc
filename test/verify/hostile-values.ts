/**
 * Generators of the values issue 10 §2 names, valid at the limits and hostile
 * in every class, for property tests on both sides. Each class comes with an
 * oracle written from the owning service's rule, independently of
 * lib/core/validation, and with the prefix of the error the library must raise.
 *
 * Pure data: no aws-cdk-lib, no constructs.
 */
import * as fc from 'fast-check';

/** How the library shows a value in an error: quoted, characters outside printable ASCII as \uXXXX, cut after 160. */
export function shownInError(value: string): string {
  const chars = Array.from(value);
  const cut = chars.length > 160 ? chars.slice(0, 160) : chars;
  const escaped = cut.map(c => c >= ' ' && c <= '~' ? c : `\\u${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`).join('');
  return `'${escaped}${cut.length < chars.length ? '…' : ''}'`;
}

// --- the rules, from the services' documentation -------------------------------------------

/** EKS CreateCluster: 1-100 characters, alphanumerics, '-' and '_', starting with an alphanumeric. */
export const isClusterName = (s: string) => s.length >= 1 && s.length <= 100 && /^[0-9A-Za-z][0-9A-Za-z_-]*$/.test(s);
export const isAccountId = (s: string) => /^[0-9]{12}$/.test(s);
/** An EKS cluster ARN, with the partitions and region shapes AWS has. */
export const isClusterArn = (s: string) => {
  const m = /^arn:(aws|aws-cn|aws-us-gov|aws-iso|aws-iso-b|aws-iso-e|aws-iso-f|aws-eusc):eks:([a-z]{2,4}(?:-[a-z]+)+-[0-9]{1,2}):([^:]*):cluster\/(.*)$/.exec(s);
  return m !== null && isAccountId(m[3]) && isClusterName(m[4]);
};
/** IAM OIDC provider URL (<= 255) and what IAM condition keys can carry: https, DNS host, unreserved path characters. */
export const isIssuerUrl = (s: string) => s.length <= 255 &&
  /^https:\/\/[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*(\/([A-Za-z0-9._~-]|%[0-9A-Fa-f]{2})+)*$/.test(s);
/** An OIDC client id: 1-255 characters; none that make the trust's aud value never match or read as a wildcard. */
export const isAudience = (s: string) => s.length >= 1 && s.length <= 255 && !s.includes('${') && !s.includes('*') && !/[\s\p{Cc}\p{Cf}]/u.test(s);
/** Kubernetes IsQualifiedName (annotation and label keys). */
export const isAnnotationKey = (s: string) => {
  const parts = s.split('/');
  if (parts.length > 2) { return false; }
  const name = parts[parts.length - 1];
  const prefixOk = parts.length === 1 || (parts[0].length <= 253 && /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/.test(parts[0]));
  return prefixOk && name.length >= 1 && name.length <= 63 && /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/.test(name);
};

// --- generators ----------------------------------------------------------------------------

const alnum = fc.constantFrom(...'abcXYZ019'.split(''));
const nameChar = fc.constantFrom(...'abcXYZ019-_'.split(''));
/** One character of each class the issue names, and some their neighbours. */
export const hostileCharArb = fc.constantFrom(
  ' ', '\t', '\n', '\r', '\u0000', '\u007f', '\u00a0', '\u200b', '\u202e', '*', '?', '/', ':', '.', '@', '#', '%', '$', '{', '}', '"', "'", '\\',
  'ü', 'ı', '中', '😀', '${aws:username}', '${aws:PrincipalTag/eks-cluster-name}', '${*}',
);

/** Valid cluster names, from 1 to exactly 100 characters. */
export const validClusterNameArb: fc.Arbitrary<string> = fc.oneof(
  fc.tuple(alnum, fc.array(nameChar, { maxLength: 20 })).map(([a, rest]) => a + rest.join('')),
  fc.tuple(alnum, fc.array(nameChar, { minLength: 99, maxLength: 99 })).map(([a, rest]) => a + rest.join('')),
);

/** Invalid cluster names: a hostile character anywhere, a bad first character, 101 to 300 characters, empty. */
export const hostileClusterNameArb: fc.Arbitrary<string> = fc.oneof(
  fc.tuple(validClusterNameArb, hostileCharArb, fc.nat()).map(([name, bad, at]) => { const i = at % (name.length + 1); return name.slice(0, i) + bad + name.slice(i); }),
  fc.tuple(fc.constantFrom('-', '_'), validClusterNameArb).map(([first, name]) => first + name),
  fc.integer({ min: 101, max: 300 }).map(n => 'c'.repeat(n)),
  fc.constant(''),
).filter(s => !isClusterName(s));

export const hostileAccountArb: fc.Arbitrary<string> = fc.oneof(
  fc.integer({ min: 0, max: 11 }).map(n => '1'.repeat(n)),
  fc.integer({ min: 13, max: 20 }).map(n => '1'.repeat(n)),
  fc.constantFrom('*', '12345678901x', '${aws:SourceAccount}', '123456789012 '),
).filter(s => !isAccountId(s));

/** Cluster ARNs that are wrong in one part: the name, the account, the region, the service or a wildcard. */
export const hostileClusterArnArb: fc.Arbitrary<string> = fc.oneof(
  hostileClusterNameArb.map(name => `arn:aws:eks:eu-west-1:123456789012:cluster/${name}`),
  hostileAccountArb.map(account => `arn:aws:eks:eu-west-1:${account}:cluster/campus`),
  fc.constantFrom(
    'arn:aws:eks:*:123456789012:cluster/campus', 'arn:aws:eks:eu-west-1:123456789012:cluster/*', 'arn:*:eks:eu-west-1:123456789012:cluster/campus',
    'arn:aws:ecs:eu-west-1:123456789012:cluster/campus', 'arn:aws:eks:EU-WEST-1:123456789012:cluster/campus', 'campus',
  ),
).filter(s => !isClusterArn(s));

const HOST = 'https://oidc.example.com';
/** Valid issuers, up to exactly 255 characters. */
export const validIssuerUrlArb: fc.Arbitrary<string> = fc.oneof(
  fc.stringMatching(/^[0-9A-F]{32}$/).map(id => `https://oidc.eks.eu-west-1.amazonaws.com/id/${id}`),
  fc.constant(`${HOST}/${'a'.repeat(255 - HOST.length - 1)}`),
);
/** Invalid issuers: a hostile character in the path or host, a port, query, fragment, trailing '/', http, 256 to 400 characters. */
export const hostileIssuerUrlArb: fc.Arbitrary<string> = fc.oneof(
  hostileCharArb.map(bad => `${HOST}/id/${bad}x`),
  hostileCharArb.map(bad => `https://oi${bad}dc.example.com`),
  fc.constantFrom(`${HOST}:8443`, `${HOST}/id?x=1`, `${HOST}/id#k`, `${HOST}/`, 'http://oidc.example.com', 'https://', `${HOST}//id`, 'https://user@oidc.example.com'),
  fc.integer({ min: 256, max: 400 }).map(n => `${HOST}/${'a'.repeat(n - HOST.length - 1)}`),
).filter(s => !isIssuerUrl(s));

/** Invalid audiences: whitespace, newlines, control and invisible characters, '*', '${', empty, 256 characters. */
export const hostileAudienceArb: fc.Arbitrary<string> = fc.oneof(
  fc.tuple(fc.constantFrom('sts.amazonaws.com', 'vault'), fc.constantFrom(' ', '\n', '\t', '\r\n', '\u0000', '\u00a0', '\u200b', '*', '${aws:username}'), fc.boolean())
    .map(([aud, bad, before]) => before ? bad + aud : aud + bad),
  fc.constantFrom('', 'a'.repeat(256)),
).filter(s => !isAudience(s));

/** Invalid annotation keys: bad prefix, more than one '/', empty parts, over-long names, hostile characters. */
export const hostileAnnotationKeyArb: fc.Arbitrary<string> = fc.oneof(
  hostileCharArb.map(bad => `example.com/te${bad}am`),
  fc.constantFrom('Example.com/team', 'a/b/c', '/team', 'example.com/', 'team.', '-team', `${'n'.repeat(64)}`, `${'p'.repeat(254)}/team`, 'exa_mple.com/team'),
).filter(s => !isAnnotationKey(s));

/** The start of the library's error for each class, from the value alone. */
export const expectedErrorPrefix = {
  clusterName: (v: string) => `Invalid cluster name ${shownInError(v)}: it `,
  clusterArn: (v: string) => `Invalid EKS cluster ARN ${shownInError(v)}: `,
  issuerUrl: (v: string) => `Invalid OIDC issuer URL ${shownInError(v)}: `,
  audience: (v: string) => `Invalid IRSA audience ${shownInError(v)}: it `,
  annotationKey: (v: string, where: string) => `Invalid annotation key ${shownInError(v)} of ${where}: it `,
};
