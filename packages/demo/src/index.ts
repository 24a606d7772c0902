export { type Company, type CompanyFacts, type CompanyOptions, generateCompany } from "./company/company.js";
export type { Delivery, UpstreamEvent } from "./company/upstream.js";
export { type DemoEndpoints, demoEndpointsOf } from "./demo-endpoints.js";
export { type DemoOptions, demoUsage, parseDemoOptions } from "./demo-options.js";
export { type DemoReport, demoReportText } from "./demo-report.js";
export { runDemo } from "./run-demo.js";
