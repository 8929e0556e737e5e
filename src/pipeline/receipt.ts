import { formatDecimal, type Micros, sumMicros } from "../money/index.ts";
import type { CostLine, StageName } from "./pipeline-types.ts";

/** One row of the receipt: a stage and model, its units, what was paid and what the cache saved. */
export interface ReceiptLine {
  readonly stage: StageName;
  readonly capability: string;
  readonly provider: string;
  readonly model: string;
  readonly calls: number;
  readonly cachedCalls: number;
  readonly units: number;
  readonly unit: string;
  readonly costUsd: string;
  readonly savedUsd: string;
}

/** `receipt.json`: exactly what a video cost, by stage and model, matched against the ledger. */
export interface Receipt {
  readonly videoId: string;
  readonly title: string;
  readonly tier: string;
  readonly lines: readonly ReceiptLine[];
  readonly stages: readonly { stage: StageName; costUsd: string; savedUsd: string }[];
  readonly cacheSavingsUsd: string;
  readonly totalUsd: string;
  /** The ledger's view of the same job: `usage_logs` rows with this job id. */
  readonly ledger: { readonly rows: number; readonly totalUsd: string; readonly matches: boolean };
}

/** Builds the receipt from the job's cost lines and the ledger's total for the job. */
export function buildReceipt(input: {
  videoId: string;
  title: string;
  tier: string;
  lines: readonly CostLine[];
  ledgerRows: number;
  ledgerTotalMicros: Micros;
}): Receipt {
  const groups = new Map<string, CostLine[]>();
  for (const line of input.lines) {
    const key = [line.stage, line.capability, line.provider, line.model].join("\u0000");
    groups.set(key, [...(groups.get(key) ?? []), line]);
  }
  const lines: ReceiptLine[] = [...groups.values()].map((group) => {
    const first = group[0]!;
    return {
      stage: first.stage,
      capability: first.capability,
      provider: first.provider,
      model: first.model,
      calls: group.length,
      cachedCalls: group.filter((line) => line.cached).length,
      units: Math.round(group.reduce((total, line) => total + line.units, 0) * 1000) / 1000,
      unit: first.unit,
      costUsd: formatDecimal(sumMicros(group.map((line) => line.costMicros))),
      savedUsd: formatDecimal(sumMicros(group.map((line) => line.savedMicros))),
    };
  });
  const stageNames = [...new Set(input.lines.map((line) => line.stage))];
  const total = sumMicros(input.lines.map((line) => line.costMicros));
  return {
    videoId: input.videoId,
    title: input.title,
    tier: input.tier,
    lines,
    stages: stageNames.map((stage) => {
      const of = input.lines.filter((line) => line.stage === stage);
      return {
        stage,
        costUsd: formatDecimal(sumMicros(of.map((line) => line.costMicros))),
        savedUsd: formatDecimal(sumMicros(of.map((line) => line.savedMicros))),
      };
    }),
    cacheSavingsUsd: formatDecimal(sumMicros(input.lines.map((line) => line.savedMicros))),
    totalUsd: formatDecimal(total),
    ledger: {
      rows: input.ledgerRows,
      totalUsd: formatDecimal(input.ledgerTotalMicros),
      matches: input.ledgerTotalMicros === total,
    },
  };
}
