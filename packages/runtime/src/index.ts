export {
  type AdminEndpoints,
  type AdminResponse,
  type AdminRoute,
  type AdminServer,
  adminResponse,
  startAdminServer,
} from "./admin-server.js";
export { type RunServiceOptions, runService } from "./run-service.js";
