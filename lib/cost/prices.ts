/*
 * AWS list prices the cost advisor uses, each a named constant with the day it was checked and where it was read.
 * Prices change: when one does, change the constant, its date and its source together, and the hand-computed
 * tests in test/cost follow. USD, first duration tier (the first 6 billion x86 / 7.5 billion arm64 GB-seconds
 * a month), no free tier, no Savings Plans.
 */

/** The day every price below was last checked against its source. */
export const PRICES_CHECKED_ON = '2026-12-07';

/** AWS's own Lambda pricing page: the reference every figure below is checked against. */
export const LAMBDA_PRICING_URL = 'https://aws.amazon.com/lambda/pricing/';

/**
 * Since this day Lambda bills the INIT phase of on-demand ZIP functions on managed runtimes as duration, as it
 * already did for container images, custom runtimes and provisioned concurrency.
 * Source: https://aws.amazon.com/blogs/compute/aws-lambda-standardizes-billing-for-init-phase/ (checked 2026-12-07).
 */
export const INIT_BILLED_SINCE = '2025-08-01';
export const INIT_BILLING_URL = 'https://aws.amazon.com/blogs/compute/aws-lambda-standardizes-billing-for-init-phase/';

/** Requests: $0.20 per million, every region below, both architectures, on-demand and provisioned alike. */
export const REQUEST_PRICE_PER_MILLION = 0.2;
export const REQUEST_PRICE_SOURCE = 'https://docs.aws.amazon.com/whitepapers/latest/how-aws-pricing-works/lambda.html';

/** On-demand duration, x86_64, per GB-second. Source: https://cloudchipr.com/blog/aws-lambda-pricing (US East, first tier). */
export const ON_DEMAND_X86_PER_GB_SECOND = 0.0000166667;
/** On-demand duration, arm64, per GB-second. Source: https://cloudchipr.com/blog/aws-lambda-pricing (US East, first tier). */
export const ON_DEMAND_ARM_PER_GB_SECOND = 0.0000133334;

/** Provisioned concurrency, x86_64: per GB-second configured. Source: https://awsnegotiations.com/lambda-provisioned-concurrency-cost.html */
export const PROVISIONED_X86_PER_GB_SECOND = 0.0000041667;
/** Provisioned concurrency, arm64: per GB-second configured. Source: https://awsnegotiations.com/lambda-provisioned-concurrency-cost.html */
export const PROVISIONED_ARM_PER_GB_SECOND = 0.0000033334;
/** Duration of invocations served by provisioned concurrency, x86_64. Source: https://awsnegotiations.com/lambda-provisioned-concurrency-cost.html */
export const PROVISIONED_DURATION_X86_PER_GB_SECOND = 0.0000097222;
/**
 * Duration of invocations served by provisioned concurrency, arm64 (the x86 figure's 20% arm64 discount, as on
 * AWS's pricing page, whose tables render client-side: not found as text in any source read on 2026-12-07).
 */
export const PROVISIONED_DURATION_ARM_PER_GB_SECOND = 0.0000077778;

/**
 * Lambda Managed Instances: requests $0.20 per million and a management fee of 15% on the EC2 on-demand
 * instance price; no duration charge. Source: https://aws.amazon.com/lambda/pricing/ (Managed Instances
 * section, as transcribed 2026-09-20 in https://raw.githubusercontent.com/api-evangelist/aws-lambda/refs/heads/main/plans/aws-lambda-plans-pricing.yml).
 */
export const MANAGED_INSTANCES_REQUEST_PRICE_PER_MILLION = 0.2;
export const MANAGED_INSTANCES_MANAGEMENT_FEE = 0.15;
/** Lambda launches three instances by default, for Availability Zone resiliency. Source: https://docs.aws.amazon.com/lambda/latest/dg/lambda-managed-instances-best-practices.html */
export const MANAGED_INSTANCES_DEFAULT_INSTANCES = 3;
/** Runtimes that support Lambda Managed Instances. Source: https://docs.aws.amazon.com/lambda/latest/dg/lambda-managed-instances-runtimes.html */
export const MANAGED_INSTANCES_RUNTIMES_URL = 'https://docs.aws.amazon.com/lambda/latest/dg/lambda-managed-instances-runtimes.html';

/** An EC2 instance type Lambda Managed Instances can run on, with its Linux on-demand price in one region. */
export interface InstancePrice {
  readonly instanceType: string;
  readonly vcpus: number;
  readonly memoryGib: number;
  readonly usdPerHour: number;
  readonly source: string;
}

/** m7g.large (Graviton3, 2 vCPU, 8 GiB), Linux on-demand, us-east-1. Source: https://www.factualminds.com/blog/amazon-ec2-on-demand-pricing-instance-families-2026/ (June 2026). */
export const M7G_LARGE_US_EAST_1: InstancePrice = {
  instanceType: 'm7g.large',
  vcpus: 2,
  memoryGib: 8,
  usdPerHour: 0.0816,
  source: 'https://www.factualminds.com/blog/amazon-ec2-on-demand-pricing-instance-families-2026/',
};

/** Lambda's prices for one architecture in one region. */
export interface ArchitecturePrices {
  readonly requestPerMillion: number;
  readonly onDemandPerGbSecond: number;
  readonly provisionedPerGbSecond: number;
  readonly provisionedDurationPerGbSecond: number;
  /** The instance Lambda Managed Instances estimates assume, when its price in the region is recorded. */
  readonly managedInstance?: InstancePrice;
}

export type Architecture = 'x86_64' | 'arm64';

export interface RegionPrices {
  readonly region: string;
  /** Where the region's figures were read (besides the constants' own sources). */
  readonly source: string;
  readonly x86_64: ArchitecturePrices;
  readonly arm64: ArchitecturePrices;
}

const X86: ArchitecturePrices = {
  requestPerMillion: REQUEST_PRICE_PER_MILLION,
  onDemandPerGbSecond: ON_DEMAND_X86_PER_GB_SECOND,
  provisionedPerGbSecond: PROVISIONED_X86_PER_GB_SECOND,
  provisionedDurationPerGbSecond: PROVISIONED_DURATION_X86_PER_GB_SECOND,
};
const ARM: ArchitecturePrices = {
  requestPerMillion: REQUEST_PRICE_PER_MILLION,
  onDemandPerGbSecond: ON_DEMAND_ARM_PER_GB_SECOND,
  provisionedPerGbSecond: PROVISIONED_ARM_PER_GB_SECOND,
  provisionedDurationPerGbSecond: PROVISIONED_DURATION_ARM_PER_GB_SECOND,
};

/**
 * The regions whose prices are recorded. Lambda's rates are the same in these three (checked 2026-12-07);
 * only us-east-1 has a recorded EC2 price, so Managed Instances estimates exist there only, on arm64.
 */
export const REGION_PRICES: Readonly<Record<string, RegionPrices>> = {
  'us-east-1': { region: 'us-east-1', source: LAMBDA_PRICING_URL, x86_64: X86, arm64: { ...ARM, managedInstance: M7G_LARGE_US_EAST_1 } },
  // The pricing page states its first-tier figures "in US East (Ohio)"; cubeapm.com/?p=32111 quotes the same x86 rate there.
  'us-east-2': { region: 'us-east-2', source: 'https://cubeapm.com/?p=32111', x86_64: X86, arm64: ARM },
  // Requests and on-demand duration in Ireland as quoted by an AWS specialist: https://mark-sailes.medium.com/the-other-feature-of-aws-lambda-provisioned-concurrency-saving-money-24e4e5086e1b
  'eu-west-1': { region: 'eu-west-1', source: 'https://mark-sailes.medium.com/the-other-feature-of-aws-lambda-provisioned-concurrency-saving-money-24e4e5086e1b', x86_64: X86, arm64: ARM },
};

export const KNOWN_REGIONS: readonly string[] = Object.keys(REGION_PRICES);

/** The prices of a region; undefined when none are recorded (the CLI refuses such a region at start). */
export function regionPrices(region: string): RegionPrices | undefined {
  return Object.prototype.hasOwnProperty.call(REGION_PRICES, region) ? REGION_PRICES[region] : undefined;
}
