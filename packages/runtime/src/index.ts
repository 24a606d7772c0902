export {
  type AdminEndpoints,
  type AdminResponse,
  type AdminRoute,
  type AdminServer,
  adminResponse,
  startAdminServer,
} from "./admin-server.js";
export { LeastRecentlyUsed } from "./least-recently-used.js";
export {
  followActiveVersion,
  type ProjectionReplayOptions,
  type ReplayConsumer,
  type ReplayProgress,
  type ReplayResult,
  replayIntoNextVersion,
} from "./projection-replay.js";
export { type RunServiceOptions, runService } from "./run-service.js";
export {
  type FoldIntoVersion,
  type ReplayedService,
  replayService,
  type ServiceReplayOptions,
} from "./service-replay.js";
export { runOnWorkerThread, siblingModule } from "./worker-thread.js";
export {
  createWriterLease,
  type WriterLease,
  type WriterLeaseOptions,
  writeOrStandBy,
} from "./writer-lease.js";
