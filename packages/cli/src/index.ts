export { runCli } from "./cli.js";
export { FatalError, UsageError } from "./cli-errors.js";
export type { Command, CommandIo } from "./command.js";
export { commandTable } from "./command-table.js";
export {
  type CampaignAction,
  type CampaignOptions,
  campaignActions,
  defaultHoldoutShare,
  parseCampaignOptions,
} from "./commands/campaign-options.js";
export { type CustomerOptions, parseCustomerOptions } from "./commands/customer-options.js";
export {
  defaultExportPageSize,
  type ExportKind,
  type ExportOptions,
  exportKinds,
  maxExportPageSize,
  parseExportOptions,
} from "./commands/export-options.js";
export {
  type ModelKind,
  type ModelOptions,
  modelKinds,
  parseModelOptions,
} from "./commands/model-options.js";
export { type OffersOptions, parseOffersOptions } from "./commands/offers-options.js";
export { parseSegmentsOptions, type SegmentsOptions } from "./commands/segments-options.js";
export {
  defaultIdentityAddress,
  defaultOfferAddress,
  defaultScoringAddress,
} from "./commands/service-address.js";
export { parseTimelineOptions, type TimelineOptions } from "./commands/timeline-options.js";
export { type CustomerSubject, parseCustomerSubject } from "./customer-subject.js";
export { exitCodes } from "./exit-codes.js";
export {
  exportIdentities,
  type IdentityExportDependencies,
  type SourceRecordPage,
} from "./export/export-identities.js";
export { exportProgressText, exportSummaryText } from "./export/export-progress-text.js";
export {
  csvField,
  type ExportedSourceRecord,
  type IdentityExportFormat,
  identityExportFormat,
  identityExportFormats,
  isIdentityExportFormat,
} from "./export/identity-export-format.js";
export { parseBirthDate } from "./import/birth-date.js";
export { type ColumnPlan, type FileColumns, planColumns } from "./import/column-plan.js";
export {
  type CustomerColumns,
  createCustomerMapper,
  customerEventId,
  customerRegisteredEvent,
  type RegistrationKey,
} from "./import/customer-registration.js";
export type { EventAnswer } from "./import/event-answer.js";
export { parseEventTime } from "./import/event-time.js";
export { type FieldMap, parseFieldMap } from "./import/field-map.js";
export {
  customerFields,
  fieldsOf,
  type ImportField,
  type ImportKind,
  identifierFields,
  importKinds,
  orderFields,
} from "./import/import-kind.js";
export { type ImportPlan, planImport } from "./import/import-plan.js";
export type { ImportSettings } from "./import/import-settings.js";
export { type ImportSummary, summaryJson, summaryText } from "./import/import-summary.js";
export {
  evolveTally,
  exitCodeOf,
  type ImportHappening,
  type ImportTally,
  initialTally,
} from "./import/import-tally.js";
export type { CloudEventJson, MappedOutput, RowOrigin } from "./import/mapped-output.js";
export {
  type Money,
  minorDigitsOf,
  parseCurrency,
  parseMajorAmount,
  parseMinorAmount,
} from "./import/money.js";
export { ndjsonRecordOf } from "./import/ndjson-line.js";
export { createOrderAssembler, type OrderCompletion } from "./import/order-assembly.js";
export { type LineItem, type OrderHeader, type OrderLine, orderLineOf } from "./import/order-line.js";
export { orderEventId, orderPlacedEvent } from "./import/order-placed-event.js";
export {
  type PlatformValuation,
  type UnvaluedCurrency,
  type UnvaluedOrder,
  unvaluedOrderOf,
  type ValuationCheck,
} from "./import/order-valuation.js";
export { type ImportProgress, progressText } from "./import/progress-text.js";
export {
  createRecordMapper,
  needsOrderIndex,
  noteOrderRow,
  type RecordMapper,
} from "./import/record-mapper.js";
export type { LocalRejectionReason, RowRejection } from "./import/row-rejection.js";
export type { RowWarning, WarningReason } from "./import/row-warning.js";
export type { SourceRecord } from "./import/source-record.js";
export { instantOfWallTime, isTimeZone, offsetMsAt, type WallTime } from "./import/zoned-time.js";
export { type ExportOutput, openExportOutput } from "./io/export-output.js";
export { createIdentityClient, type IdentityClient } from "./io/identity-client.js";
export { type ImportRequest, runImport } from "./io/import-run.js";
export { createIngestionClient, type IngestionClient } from "./io/ingestion-client.js";
export { createOfferClient, type OfferClient } from "./io/offer-client.js";
export { createProgressReporter, type ProgressReporter } from "./io/progress-reporter.js";
export { createScoringClient, type ScoringClient } from "./io/scoring-client.js";
export { checkValuation } from "./io/valuation-check.js";
export { backtestJson, backtestText } from "./model/backtest-text.js";
export { populationModelJson, populationModelText } from "./model/population-model-text.js";
export { campaignLines, campaignReportLines, campaignTargetsLines } from "./views/campaign-lines.js";
export { type Customer360, customer360Lines } from "./views/customer-360-lines.js";
export { count, money, percent } from "./views/figures.js";
export { nextBestOffersLines } from "./views/next-best-offers-lines.js";
export { segmentReportLines } from "./views/segment-report-lines.js";
export { type TableColumn, textTable } from "./views/text-table.js";
export { timelineLines } from "./views/timeline-lines.js";
