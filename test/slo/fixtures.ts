/** SLO specs the SLO tests share: one of each SLI kind and window beside the shipped ones. */
import type { SloSpec } from "../../core/slo/model";

export const API_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** A worker's events, 99.5% processed without error (a ratio of two counters of one metric). */
export const workerErrors: SloSpec = {
  name: "worker-errors", service: "worker", description: "Events are processed without error", objective: 99.5,
  sli: { kind: "eventRatio", total: { metric: "worker_events_processed_total", selector: 'job="worker"' }, bad: { metric: "worker_events_processed_total", selector: 'job="worker",status="error"' } },
  labels: { team: "data" },
};

/** 99% of API requests within 250ms. */
export const apiLatencyStrict: SloSpec = {
  name: "api-latency-strict", service: "api", description: "API requests are answered within 250ms", objective: 99,
  sli: { kind: "latency", metric: "http_request_duration_seconds", selector: 'job="api"', threshold: 0.25, buckets: API_BUCKETS },
};

/** The error SLO over 28 days: Sloth's other built-in window. */
export const apiErrors28d: SloSpec = {
  name: "api-errors-28d", service: "api", description: "API requests are answered without a 5xx", objective: 99.9, window: "28d",
  sli: { kind: "eventRatio", total: { metric: "http_requests_total", selector: 'job="api"' }, bad: { metric: "http_requests_total", selector: 'job="api",status=~"5.."' } },
};

/** Scrape availability over a week, with its own alert names: `up` as the SLI, two different metrics for a ratio. */
export const weeklyUp: SloSpec = {
  name: "worker-up-7d", service: "worker", description: "Scrapes of the worker succeed", objective: 99.5, window: "7d",
  sli: { kind: "availability", metric: "up", selector: 'job="worker"' },
  alerting: { name: "WorkerScrapes" },
};

/** Failed jobs over started jobs from two counters with different names, over a week. */
export const batchFailures7d: SloSpec = {
  name: "batch-failures", service: "batch", description: "Batch jobs finish without failing", objective: 99, window: "7d",
  sli: { kind: "eventRatio", total: { metric: "batch_jobs_started_total", selector: 'job="batch"' }, bad: { metric: "batch_jobs_failed_total", selector: 'job="batch"' } },
};

export const CUSTOM_SLOS: readonly SloSpec[] = [workerErrors, apiLatencyStrict, apiErrors28d, weeklyUp, batchFailures7d];
