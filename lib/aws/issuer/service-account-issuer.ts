import { Names, Stack, Token } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as targets from 'aws-cdk-lib/aws-route53-targets';
import { Construct } from 'constructs';
import { ClusterKind } from '../../core/cluster-kind';
import { DISCOVERY_PATH, JWKS_PATH, ServiceAccountIssuerDocuments } from '../../core/issuer/service-account-issuer-documents';
import { ServiceAccountSigningKey } from '../../core/issuer/service-account-signing-key';
import { atConstruct, WorkloadIdentityError } from '../../core/validation-error';
import { IWorkloadCluster } from '../cluster/i-workload-cluster';
import { WorkloadCluster } from '../cluster/workload-cluster';

// API Gateway resource path parts: letters, digits and . _ - (a path part may not hold '%' or '~').
const PATH_PART = /^[A-Za-z0-9._-]+$/;
// STS caches the key set; an hour keeps a rotation's new key visible soon after it is published.
const CACHE_CONTROL = "'public, max-age=3600'";

/** Props of `ServiceAccountIssuer`. */
export interface ServiceAccountIssuerProps {
  /**
   * Name of the cluster whose tokens this issuer signs: the `clusterName` of
   * the `NOT_EKS` handle `cluster`, and of the ServiceAccounts' bindings.
   */
  readonly clusterName: string;

  /**
   * The literal issuer URL, on a domain you own: `https://<domainName>` or
   * `https://<domainName>/<path>`, e.g. `https://oidc.example.com/clusters/lab`.
   * The API server signs as this URL, the documents are served under it and
   * IAM trusts it, character for character.
   */
  readonly issuerUrl: string;

  /**
   * The public keys of the API server's `--service-account-key-file`, the one
   * it signs with first; two while a key is rotated (docs/issuer.md).
   */
  readonly signingKeys: ServiceAccountSigningKey[];

  /**
   * An ACM certificate for the issuer's host, in this stack's region (the
   * custom domain is regional).
   */
  readonly certificate: acm.ICertificate;

  /**
   * The public hosted zone of the issuer's host: an alias record is declared
   * in it, and the IAM OIDC provider waits for it (IAM reads the host's TLS
   * certificate when the provider is created).
   *
   * @default - no record: point the host at `regionalDomainName` yourself before the provider is created
   */
  readonly hostedZone?: route53.IHostedZone;

  /**
   * Whether this app owns the IAM OIDC provider of the issuer (declared by
   * the `cluster` handle, listing `sts.amazonaws.com` and every audience
   * identities add). Set it to false where another stack or tool already
   * registers the URL (IAM allows one provider per URL in an account).
   *
   * @default true
   */
  readonly createOpenIdConnectProvider?: boolean;
}

/**
 * The public OIDC issuer of a cluster that is not EKS (self-managed,
 * kubeadm, k3s, EKS Anywhere, hybrid): serves the discovery document and the
 * key set at a stable HTTPS URL and gives a `NOT_EKS` cluster handle whose
 * IRSA roles trust exactly that URL. Declarative only: an API Gateway REST
 * API whose two GET methods answer from mock integrations (no Lambda, no
 * custom resource, no bucket), behind a regional custom domain.
 *
 * The same documents as files, and the API server's flags, come from
 * `ServiceAccountIssuerDocuments` and `ApiServerIssuerFlags`
 * (`WorkloadOutputs` writes them next to the cluster's YAML).
 */
export class ServiceAccountIssuer extends Construct {
  /** The issuer URL. */
  public readonly issuerUrl: string;
  /** The documents served, byte for byte. */
  public readonly documents: ServiceAccountIssuerDocuments;
  /** The `NOT_EKS` cluster handle of the issuer: pass it as `cluster` to identities. */
  public readonly cluster: IWorkloadCluster;
  /** The REST API serving the documents. */
  public readonly api: apigateway.IRestApi;
  /** The custom domain of the issuer's host. */
  public readonly domainName: apigateway.IDomainName;
  /** The host name to point the issuer's DNS record at (an alias target, or a CNAME's value). */
  public readonly regionalDomainName: string;

  constructor(scope: Construct, id: string, props: ServiceAccountIssuerProps) {
    super(scope, id);
    if (Token.isUnresolved(Stack.of(this).region)) {
      // A regional custom domain needs its certificate in the stack's region; an env-agnostic stack cannot say which.
      throw new WorkloadIdentityError(`ServiceAccountIssuer '${this.node.path}' is in a stack without a region: ` +
        'give the stack env: { account, region } (the certificate must be in that region).', this.node.path);
    }
    // The documents check the issuer URL and keys: their errors name this construct.
    this.documents = atConstruct(this.node.path, () => new ServiceAccountIssuerDocuments({ issuerUrl: props.issuerUrl, signingKeys: props.signingKeys }));
    this.issuerUrl = props.issuerUrl;
    const [host, ...pathParts] = props.issuerUrl.slice('https://'.length).split('/');
    const bad = pathParts.find(part => !PATH_PART.test(part));
    if (bad !== undefined) {
      throw new WorkloadIdentityError(`The issuer URL '${props.issuerUrl}' has the path segment '${bad}', which an API Gateway resource cannot hold: ` +
        'use letters, digits, \'.\', \'_\' and \'-\' in the issuer\'s path.', this.node.path);
    }
    if (props.hostedZone && !Token.isUnresolved(props.hostedZone.zoneName) &&
      host !== props.hostedZone.zoneName && !host.endsWith(`.${props.hostedZone.zoneName}`)) {
      throw new WorkloadIdentityError(`The issuer's host '${host}' is not in the hosted zone '${props.hostedZone.zoneName}': ` +
        'pass the zone that holds the host, or leave hostedZone out and point the host yourself.', this.node.path);
    }

    // Only the custom domain answers: the issuer has exactly one URL.
    const api = new apigateway.RestApi(this, 'Api', {
      restApiName: `${Names.uniqueResourceName(this, { maxLength: 40 })}-oidc`,
      description: `OIDC discovery for the ServiceAccount issuer of cluster ${props.clusterName}`,
      endpointConfiguration: { types: [apigateway.EndpointType.REGIONAL] },
      disableExecuteApiEndpoint: true,
      deployOptions: { stageName: 'issuer', throttlingRateLimit: 50, throttlingBurstLimit: 100 },
    });
    const issuerRoot = pathParts.reduce<apigateway.IResource>((resource, part) => resource.addResource(part), api.root);
    serve(at(issuerRoot, DISCOVERY_PATH), this.documents.discoveryDocument);
    serve(at(issuerRoot, JWKS_PATH), this.documents.jwks);

    const domain = new apigateway.DomainName(this, 'Domain', {
      domainName: host,
      certificate: props.certificate,
      endpointType: apigateway.EndpointType.REGIONAL,
      securityPolicy: apigateway.SecurityPolicy.TLS_1_2,
    });
    domain.addBasePathMapping(api, { stage: api.deploymentStage });
    this.api = api;
    this.domainName = domain;
    this.regionalDomainName = domain.domainNameAliasDomainName;

    const record = props.hostedZone ? new route53.ARecord(this, 'Record', {
      zone: props.hostedZone,
      recordName: host,
      target: route53.RecordTarget.fromAlias(new targets.ApiGatewayDomain(domain)),
    }) : undefined;

    this.cluster = WorkloadCluster.fromClusterAttributes(this, 'Cluster', {
      clusterName: props.clusterName,
      kind: ClusterKind.NOT_EKS,
      oidcIssuerUrl: props.issuerUrl,
      createOpenIdConnectProvider: props.createOpenIdConnectProvider ?? true,
    });
    // IAM fetches the host's certificate when it registers the provider: the documents are served first.
    for (const provider of this.cluster.node.findAll().filter(c => c instanceof iam.CfnOIDCProvider)) {
      provider.node.addDependency(api.deploymentStage, domain, ...record ? [record] : []);
    }
  }
}

/** The resource at `path` (slash-separated) below `root`. */
function at(root: apigateway.IResource, path: string): apigateway.IResource {
  return path.split('/').reduce((resource, part) => resource.getResource(part) ?? resource.addResource(part), root);
}

/** A GET on `resource` answering `body` as JSON from a mock integration. */
function serve(resource: apigateway.IResource, body: string): void {
  // The body is a mapping template (Velocity): '$' and '#' would be read as code. The documents hold neither.
  if (/[$#]/.test(body)) {
    throw new WorkloadIdentityError(`An issuer document holds '$' or '#', which API Gateway would read as a template: ${body}`);
  }
  resource.addMethod('GET', new apigateway.MockIntegration({
    requestTemplates: { 'application/json': '{"statusCode": 200}' },
    passthroughBehavior: apigateway.PassthroughBehavior.NEVER,
    integrationResponses: [{
      statusCode: '200',
      responseTemplates: { 'application/json': body },
      responseParameters: {
        'method.response.header.Content-Type': "'application/json'",
        'method.response.header.Cache-Control': CACHE_CONTROL,
      },
    }],
  }), {
    authorizationType: apigateway.AuthorizationType.NONE,
    methodResponses: [{
      statusCode: '200',
      responseParameters: { 'method.response.header.Content-Type': true, 'method.response.header.Cache-Control': true },
    }],
  });
}
