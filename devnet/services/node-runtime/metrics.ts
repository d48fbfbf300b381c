import type http from "node:http";
import { Counter, Gauge, Histogram, Registry } from "prom-client";
import type { Logger } from "./logging";

/**
 * Each running service's Prometheus metrics, in its own registry (a devnet runs several services in
 * one process, and each answers /metrics for itself). HTTP rate and latency are labelled by the
 * route pattern express matched (`/v1/tracks/:id`), never the raw path, so the label set stays
 * bounded. Service facts (index lag, relay gas, transcodes, replication) come from gauges read at
 * scrape time and from the service's own log events, so the services keep one place that says
 * what happened.
 */
export interface ServiceMetrics {
  readonly registry: Registry;
  /** count and time one finished request */
  observeRequest(method: string, route: string, status: number, seconds: number): void;
  inFlight(delta: 1 | -1): void;
  /** a gauge whose value is read when /metrics is scraped */
  gauge(name: string, help: string, read: () => number | undefined): void;
  /** the service's logger, also counting the events metrics are kept for */
  tap(log: Logger): Logger;
}

export function createServiceMetrics(service: string): ServiceMetrics {
  const registry = new Registry();
  registry.setDefaultLabels({ service });
  const registers = [registry];
  const requests = new Counter({ name: "asix_http_requests_total", help: "HTTP requests answered, by route pattern and status", labelNames: ["method", "route", "status"], registers });
  const latency = new Histogram({
    name: "asix_http_request_duration_seconds",
    help: "HTTP request latency by route pattern",
    labelNames: ["method", "route"],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers,
  });
  const inFlight = new Gauge({ name: "asix_http_requests_in_flight", help: "HTTP requests being answered (on the identity service: the relay queue)", registers });
  const events = eventMetrics(registers);
  return {
    registry,
    observeRequest(method, route, status, seconds) {
      requests.inc({ method, route, status: String(status) });
      latency.observe({ method, route }, seconds);
    },
    inFlight(delta) {
      inFlight.inc(delta);
    },
    gauge(name, help, read) {
      new Gauge({
        name,
        help,
        registers,
        collect() {
          const value = read();
          if (value !== undefined) this.set(value);
        },
      });
    },
    tap(log) {
      return (msg, fields) => {
        events(msg, fields);
        log(msg, fields);
      };
    },
  };
}

/** Counters fed by the services' log events (their names are the services' stable event names). */
function eventMetrics(registers: Registry[]): (msg: string, fields?: Record<string, unknown>) => void {
  const transcodes = new Counter({ name: "asix_content_transcodes_total", help: "transcode jobs finished, by outcome", labelNames: ["outcome"], registers });
  const transcodedAudio = new Counter({ name: "asix_content_transcoded_audio_seconds_total", help: "seconds of audio transcoded", registers });
  const transcodeTime = new Histogram({
    name: "asix_content_transcode_duration_seconds",
    help: "wall time of one finished transcode (full and preview outputs)",
    buckets: [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300],
    registers,
  });
  const replicaFailures = new Counter({ name: "asix_content_replica_failures_total", help: "replica pushes a peer refused or did not answer", registers });
  const relayed = new Counter({ name: "asix_identity_relayed_total", help: "transactions relayed, by chain", labelNames: ["chain"], registers });
  const gas = new Counter({ name: "asix_identity_relay_gas_used_total", help: "gas spent by relayed transactions, by chain", labelNames: ["chain"], registers });
  return (msg, fields = {}) => {
    if (msg === "transcoded") {
      transcodes.inc({ outcome: "ok" });
      if (typeof fields.seconds === "number") transcodedAudio.inc(fields.seconds);
      if (typeof fields.elapsedSeconds === "number") transcodeTime.observe(fields.elapsedSeconds);
    } else if (msg === "transcode failed" || msg === "transcode crashed") {
      transcodes.inc({ outcome: "failed" });
    } else if (msg === "replica refused" || msg === "replica unreachable") {
      replicaFailures.inc();
    } else if (msg === "relayed") {
      const chain = String(fields.chain ?? "data");
      relayed.inc({ chain });
      const used = Number(fields.gasUsed);
      if (Number.isFinite(used)) gas.inc({ chain }, used);
    }
  };
}

/** The route pattern express matched for `req` (base URL + route path), or "unmatched". */
export function routeOf(req: http.IncomingMessage): string {
  const r = req as http.IncomingMessage & { baseUrl?: string; route?: { path?: unknown } };
  if (r.route?.path === undefined) return "unmatched";
  return `${r.baseUrl ?? ""}${String(r.route.path)}` || "/";
}
