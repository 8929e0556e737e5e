export type { QcCheck, QcCheckName, QcReport, TimeRange } from "./qc-report.ts";
export { type QcOptions, qc } from "./run-qc.ts";
