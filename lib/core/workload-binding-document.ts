import { WorkloadBinding } from './workload-binding';
import { WorkloadSubjectPattern } from './workload-subject-pattern';

/** The file format that carries bindings to a cdk8s-only repository. */
export interface WorkloadBindingDocument {
  /** Format version: this library writes 2, or 3 when the file records subject patterns, and reads 1, 2 and 3. */
  readonly version: number;
  /** The bindings. */
  readonly bindings: WorkloadBinding[];
  /**
   * The subject patterns the identities' roles trust (format 3): an IRSA
   * pattern's new matches are bound from them (`WorkloadBindingFile.bindPatternMatch`).
   *
   * @default - none (format 1 and 2)
   */
  readonly subjectPatterns?: WorkloadSubjectPattern[];
}
