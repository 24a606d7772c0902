import { extname } from "node:path";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";

/**
 * The module `name` beside the calling module (`import.meta.url`), with the caller's extension:
 * `.ts` when the service runs from its sources (npm start, tests), `.js` from its build.
 */
export function siblingModule(callerUrl: string, name: string): URL {
  return new URL(`./${name}${extname(fileURLToPath(callerUrl))}`, callerUrl);
}

/**
 * Runs a CPU-heavy computation on a worker thread and answers its result, so that the service's
 * event loop keeps turning meanwhile: its writer lease renewals, Kafka heartbeats and gRPC answers
 * are not held up by a model fit. `module` takes its input from `workerData` and posts its result as
 * one message on `parentPort` (both structured clones: plain data). A module run from TypeScript
 * sources registers tsx in the worker first, as the main thread has it.
 */
export function runOnWorkerThread<Input, Output>(module: URL, input: Input): Promise<Output> {
  const worker = module.pathname.endsWith(".ts")
    ? new Worker(
        `import("tsx/esm/api").then(({ register }) => { register(); return import(${JSON.stringify(module.href)}); });`,
        { eval: true, workerData: input, execArgv: ["--conditions=source"] },
      )
    : new Worker(module, { workerData: input });
  return new Promise<Output>((resolve, reject) => {
    let answered = false;
    worker.once("message", (output: Output) => {
      answered = true;
      resolve(output);
    });
    worker.once("error", reject);
    worker.once("exit", (code) => {
      if (!answered)
        reject(
          new Error(
            `the worker thread running ${module.pathname} exited with code ${code} without an answer`,
          ),
        );
    });
  });
}
