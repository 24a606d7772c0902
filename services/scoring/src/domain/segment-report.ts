import type { ListedCustomer } from "./customer-list.js";

export type SegmentFigures = {
  name: string;
  customers: number;
  revenueMinor: number;
  meanHistoricValueMinor: number;
  /** Mean over the customers with a prediction; 0 when none has one. */
  meanPredictedValueMinor: number;
};

export type SegmentReport = {
  grid: SegmentFigures[];
  tiers: SegmentFigures[];
  lifecycleStages: SegmentFigures[];
  rfmSegments: SegmentFigures[];
  customerBase: {
    registered: number;
    unique: number;
    mergedDuplicates: number;
    active: number;
    meaningful: number;
  };
};

const activeStages = new Set(["new_stage_1", "new_stage_2", "active", "reactivated"]);

/**
 * The population by grid cell, tier, lifecycle stage and RFM segment, and seed 001's funnel: everyone
 * registered, the unique customers after merges (duplicate sign-ups removed), the active buyers, and
 * the meaningful ones among them (active with high purchasing power).
 */
export function segmentReportOf(
  customers: readonly ListedCustomer[],
  mergedDuplicates: number,
): SegmentReport {
  const isActive = (customer: ListedCustomer) => activeStages.has(customer.summary.lifecycleStage);
  return {
    grid: figuresBy(customers, (customer) => customer.summary.segmentCell || undefined),
    tiers: figuresBy(customers, (customer) => customer.summary.tier),
    lifecycleStages: figuresBy(customers, (customer) => customer.summary.lifecycleStage),
    rfmSegments: figuresBy(customers, (customer) => customer.summary.rfmSegment),
    customerBase: {
      registered: customers.filter((customer) => customer.summary.isRegistered).length,
      unique: customers.length,
      mergedDuplicates,
      active: customers.filter(isActive).length,
      meaningful: customers.filter(
        (customer) => isActive(customer) && customer.summary.segmentCell.startsWith("high_"),
      ).length,
    },
  };
}

function figuresBy(
  customers: readonly ListedCustomer[],
  nameOf: (customer: ListedCustomer) => string | undefined,
) {
  const groups = new Map<string, ListedCustomer[]>();
  for (const customer of customers) {
    const name = nameOf(customer);
    if (name === undefined) continue;
    groups.set(name, [...(groups.get(name) ?? []), customer]);
  }
  return [...groups.entries()]
    .map(([name, members]): SegmentFigures => {
      const predicted = members.flatMap((member) =>
        member.summary.predictedValueMinor === undefined ? [] : [member.summary.predictedValueMinor],
      );
      return {
        name,
        customers: members.length,
        revenueMinor: sum(members.map((member) => member.summary.revenueMinor)),
        meanHistoricValueMinor: Math.round(
          sum(members.map((member) => member.summary.historicValueMinor)) / members.length,
        ),
        meanPredictedValueMinor: predicted.length > 0 ? Math.round(sum(predicted) / predicted.length) : 0,
      };
    })
    .sort((a, b) => b.customers - a.customers || (a.name < b.name ? -1 : 1));
}

function sum(values: readonly number[]): number {
  return values.reduce((total, value) => total + value, 0);
}
