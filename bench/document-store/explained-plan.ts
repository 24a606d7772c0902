/** A query plan as the server explains it, and whether FerretDB hands the filter to its backend. */
export type ExplainedPlan = { plan: string; filterPushdown: boolean | undefined };

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** MongoDB's winning plan as its chain of stages, e.g. "FETCH ← IXSCAN". */
function stageChain(plan: unknown): string[] {
  if (!isRecord(plan)) return [];
  const stage = typeof plan.stage === "string" ? [plan.stage] : [];
  return [...stage, ...stageChain(plan.inputStage)];
}

/**
 * The plan of an `explain` answer: FerretDB's `queryPlanner.Plan` lines (SQLite's EXPLAIN QUERY PLAN,
 * e.g. "id=2 parent=0 notused=0 detail=SCAN identifiers_1a2b3c4d") joined by " · ", or MongoDB's
 * winning plan's stages; with FerretDB's `filterPushdown` flag (undefined from MongoDB).
 */
export function explainedPlan(answer: unknown): ExplainedPlan {
  const planner = isRecord(answer) ? answer.queryPlanner : undefined;
  const filterPushdown =
    isRecord(answer) && typeof answer.filterPushdown === "boolean" ? answer.filterPushdown : undefined;
  if (isRecord(planner) && Array.isArray(planner.Plan)) {
    return { plan: planner.Plan.map(String).join(" · "), filterPushdown };
  }
  const stages = isRecord(planner) ? stageChain(planner.winningPlan) : [];
  return { plan: stages.length > 0 ? stages.join(" ← ") : JSON.stringify(planner ?? answer), filterPushdown };
}
