export {
  type AdminEndpoints,
  type AdminResponse,
  type AdminServer,
  adminResponse,
  startAdminServer,
} from "./admin-server.js";
export { type RunServiceOptions, runService } from "./run-service.js";
