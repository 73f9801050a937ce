/** A refusal the staff member (or client) is told about in words: a text key and its values. */
export class WorkflowError extends Error {
  /** A text key for the staff member (e.g. "wf.err.not_your_case"). */
  constructor(readonly textKey: string, readonly params: Record<string, string | number> = {}) {
    super(textKey);
    this.name = "WorkflowError";
  }
}
