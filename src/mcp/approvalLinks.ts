/** Where and how a human approves or denies one action outside the agent's reach. */
export interface ApprovalLinks {
  /** `<dashboard>/verify/decision/<url-encoded hash>`. */
  dashboardUrl: string;
  approveCommand: string;
  denyCommand: string;
}

/** The dashboard link and the CLI commands for `hash` (the same ones the hook's block message gives). */
export function approvalLinks(dashboardUrl: string, hash: string): ApprovalLinks {
  return {
    dashboardUrl: `${dashboardUrl.replace(/\/+$/, '')}/verify/decision/${encodeURIComponent(hash)}`,
    approveCommand: `vaibot approve ${hash}`,
    denyCommand: `vaibot deny ${hash}`,
  };
}
