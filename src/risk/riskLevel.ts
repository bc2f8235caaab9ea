/** Risk levels, from harmless to never-allowed. Order matters: see {@link riskRank}. */
export const RISK_LEVELS = ['none', 'low', 'medium', 'high', 'dangerous'] as const;

/** How risky a tool call is. */
export type RiskLevel = (typeof RISK_LEVELS)[number];

/** The numeric rank of a level, for comparisons (`none` = 0 ... `dangerous` = 4). */
export function riskRank(level: RiskLevel): number {
  return RISK_LEVELS.indexOf(level);
}

/** The higher of two levels. */
export function maxRisk(a: RiskLevel, b: RiskLevel): RiskLevel {
  return riskRank(a) >= riskRank(b) ? a : b;
}
