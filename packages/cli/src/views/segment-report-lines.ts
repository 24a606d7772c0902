import type { GetSegmentReportResponse, SegmentFigures } from "@rapport/proto";
import { count, moment } from "./figures.js";
import { type TableColumn, textTable } from "./text-table.js";

const figureColumns: TableColumn[] = [
  { heading: "customers", alignRight: true },
  { heading: "revenue", alignRight: true },
  { heading: "mean historic value", alignRight: true },
  { heading: "mean predicted value", alignRight: true },
];

const figureCells = (figures: SegmentFigures | undefined) => [
  count(figures?.customers ?? 0),
  count(figures?.revenueMinor ?? 0),
  count(figures?.meanHistoricValueMinor ?? 0),
  count(figures?.meanPredictedValueMinor ?? 0),
];

const figuresTable = (heading: string, groups: readonly SegmentFigures[]) =>
  groups.length === 0
    ? [`  no ${heading}s yet`]
    : textTable(
        [{ heading }, ...figureColumns],
        groups.map((group) => [group.name, ...figureCells(group)]),
      );

/**
 * The segment report as tables: the customer base funnel, the grid of purchasing power x loyalty x
 * response propensity with each cell's response policy, then tiers, lifecycle stages and RFM
 * segments, each with customers, revenue and mean lifetime values (minor units).
 */
export function segmentReportLines(report: GetSegmentReportResponse): string[] {
  const base = report.customerBase;
  return [
    `Segment report as of ${moment(report.asOf)}`,
    base
      ? `  customer base: ${count(base.registered)} registered, ${count(base.unique)} unique ` +
        `(${count(base.mergedDuplicates)} merged duplicates), ${count(base.active)} active, ` +
        `${count(base.meaningful)} meaningful (active with high purchasing power)`
      : "  customer base: not reported",
    "",
    "Segment grid (purchasing power x loyalty x response propensity)",
    ...(report.grid.length === 0
      ? ["  no cells yet: the grid needs a population model (CustomerService.RefitModels)"]
      : textTable(
          [
            { heading: "power" },
            { heading: "loyalty" },
            { heading: "response" },
            { heading: "policy" },
            ...figureColumns,
          ],
          report.grid.map(({ cell, figures }) => [
            cell?.purchasingPower ?? "",
            cell?.loyalty ?? "",
            cell?.responsePropensity ?? "",
            cell?.responsePolicy ?? "",
            ...figureCells(figures),
          ]),
        )),
    "",
    "Tiers",
    ...figuresTable("tier", report.tiers),
    "",
    "Lifecycle stages",
    ...figuresTable("stage", report.lifecycleStages),
    "",
    "RFM segments",
    ...figuresTable("segment", report.rfmSegments),
    "",
    "Revenue and values are minor units of scoring's reporting currency (SCORING_CURRENCY).",
  ];
}
