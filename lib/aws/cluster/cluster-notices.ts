import { Annotations, Aspects } from 'aws-cdk-lib';
import { Construct, IConstruct } from 'constructs';
import { appSingleton } from '../app-singleton';
import { clusterIdentity, IWorkloadCluster } from './i-workload-cluster';

const NOTICES_ID = 'cdk-eks-workload-identity.ClusterNotices';

/**
 * The id a notice is acknowledged by, from its topic (up to a '|' that
 * separates a qualifier): `cdk-eks-workload-identity:<topic>-owned-elsewhere`.
 */
export function noticeId(topic: string): string {
  return `cdk-eks-workload-identity:${topic.split('|')[0]}-owned-elsewhere`;
}

/** What a notice says, given every detail the app's handles of the cluster noted (in the order first noted); undefined: nothing to say after all. */
export type NoticeText = (details: string[]) => string | undefined;

interface Notice {
  readonly cluster: IWorkloadCluster;
  readonly topic: string;
  readonly text: NoticeText;
  readonly details: string[];
  emitted: boolean;
}

/**
 * Says once per cluster of the app and topic (an info, not a warning: nothing
 * is wrong) what a cluster owned outside the app must already have, and how to
 * check it: the agent add-on, the IAM OIDC provider. Said at synth, on the
 * first handle that noted it, so that it lists what every handle of the
 * cluster needs (the audiences of all its identities, say).
 */
export class ClusterNotices extends Construct {
  /** Notes `topic` for `cluster` (once per cluster, whichever handle), adding `detail` to what the notice lists. */
  public static note(cluster: IWorkloadCluster, topic: string, text: NoticeText, detail?: string): void {
    appSingleton(cluster, NOTICES_ID, ClusterNotices).note(cluster, topic, text, detail);
  }

  private readonly notices = new Map<string, Notice>();

  constructor(scope: Construct, id: string) {
    super(scope, id);
    // Aspects run when the app synthesizes, after every identity was declared.
    Aspects.of(this).add({ visit: (node: IConstruct) => { if (node === this) { this.emit(); } } });
  }

  private note(cluster: IWorkloadCluster, topic: string, text: NoticeText, detail?: string): void {
    const key = `${topic}|${clusterIdentity(cluster)}`;
    let notice = this.notices.get(key);
    if (!notice) {
      notice = { cluster, topic, text, details: [], emitted: false };
      this.notices.set(key, notice);
    }
    if (detail !== undefined && !notice.details.includes(detail)) { notice.details.push(detail); }
  }

  private emit(): void {
    for (const notice of this.notices.values()) {
      if (notice.emitted) { continue; }
      notice.emitted = true;
      const text = notice.text(notice.details);
      // With an id, the CLI's "Acknowledge with" hint works: Annotations.of(scope).acknowledgeInfo(id) silences it.
      if (text !== undefined) { Annotations.of(notice.cluster).addInfoV2(noticeId(notice.topic), text); }
    }
  }
}
