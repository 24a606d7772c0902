import { type handleUnaryCall, Server, ServerCredentials, status } from "@grpc/grpc-js";
import {
  CustomerServiceService,
  type GetModelRequest,
  type GetModelResponse,
  type PopulationModel,
  type RefitModelsRequest,
  type RefitModelsResponse,
} from "@rapport/proto";
import { afterEach, describe, expect, it } from "vitest";
import { commandTable, createScoringClient, FatalError, runCli } from "../src/index.js";
import { bufferedIo } from "./buffered-io.js";

type GetModelHandler = handleUnaryCall<GetModelRequest, GetModelResponse>;
type RefitModelsHandler = handleUnaryCall<RefitModelsRequest, RefitModelsResponse>;

let server: Server | undefined;

afterEach(() => {
  server?.forceShutdown();
  server = undefined;
});

/** A stand-in for scoring's gRPC server that serves only CustomerService.GetModel (and RefitModels). */
async function scoring(handler: GetModelHandler, refitModels?: RefitModelsHandler): Promise<string> {
  const listening = new Server();
  listening.addService(CustomerServiceService, {
    getModel: handler,
    ...(refitModels ? { refitModels } : {}),
  });
  server = listening;
  const port = await new Promise<number>((resolve, reject) =>
    listening.bindAsync("127.0.0.1:0", ServerCredentials.createInsecure(), (error, bound) =>
      error ? reject(error) : resolve(bound),
    ),
  );
  return `127.0.0.1:${port}`;
}

const model: PopulationModel = {
  modelId: "model-2026-03-01T00:00:00.000Z",
  fittedAsOf: "2026-03-01T00:00:00.000Z",
  customers: 120,
  buyingCustomers: 80,
  rfmBreakpoints: { recencyDays: [10, 30, 60, 120], frequency: [1, 1, 2, 3], monetaryMinor: [1, 2, 3, 4] },
  purchasingPowerThresholdMinor: 50_000,
  loyaltyThresholdOrders: 2,
  purchaseCounts: {
    model: "bg-nbd",
    parameters: { r: 0.25, alpha: 4.5, a: 0.8, b: 2.5 },
    logLikelihood: -950.5,
    customers: 80,
    iterations: 300,
    converged: true,
  },
  purchaseCountChoice: "SCORING_PURCHASE_MODEL=bg-nbd",
  bgNbd: {
    r: 0.25,
    alpha: 4.5,
    a: 0.8,
    b: 2.5,
    logLikelihood: -950.5,
    customers: 80,
    iterations: 300,
    converged: true,
  },
  gammaGamma: undefined,
  fitDurationMs: 42,
};
const answersModel: GetModelHandler = (_call, callback) => callback(null, { model });
const noModelYet: GetModelHandler = (_call, callback) =>
  callback({
    code: status.FAILED_PRECONDITION,
    details: "no population model has been fitted yet; call RefitModels",
  });

const noWait = async () => {};

describe("the scoring client", () => {
  it("reads the population model in force", async () => {
    const client = createScoringClient({ address: await scoring(answersModel), sleep: noWait });
    try {
      expect(await client.getModel()).toEqual(model);
    } finally {
      client.close();
    }
  });

  it("tries again while scoring is unavailable", async () => {
    let calls = 0;
    const address = await scoring((call, callback) => {
      calls += 1;
      if (calls < 3) return callback({ code: status.UNAVAILABLE, details: "restarting" });
      answersModel(call, callback);
    });
    const client = createScoringClient({ address, sleep: noWait });
    try {
      expect((await client.getModel()).modelId).toBe(model.modelId);
      expect(calls).toBe(3);
    } finally {
      client.close();
    }
  });

  it("says scoring cannot be reached, and how to start it, when nothing listens", async () => {
    const address = await scoring(answersModel);
    server?.forceShutdown();
    const client = createScoringClient({ address, sleep: noWait });
    try {
      const failure = client.getModel();
      await expect(failure).rejects.toThrow(FatalError);
      await expect(failure).rejects.toThrow(`cannot reach scoring at ${address}: is it running? (npm start)`);
    } finally {
      client.close();
    }
  });

  it("says there is no model yet, and how to get one, on FAILED_PRECONDITION", async () => {
    const address = await scoring(noModelYet);
    const client = createScoringClient({ address, sleep: noWait });
    try {
      const failure = client.getModel();
      await expect(failure).rejects.toThrow(FatalError);
      await expect(failure).rejects.toThrow(`scoring at ${address} has no population model yet`);
      await expect(failure).rejects.toThrow("Wait for the scheduled fit");
      await expect(failure).rejects.toThrow("or fit one now: rapport model scoring --refit");
    } finally {
      client.close();
    }
  });

  it("names any other status scoring answered with", async () => {
    const address = await scoring((_call, callback) =>
      callback({ code: status.INTERNAL, details: "the model store failed" }),
    );
    const client = createScoringClient({ address, sleep: noWait });
    try {
      await expect(client.getModel()).rejects.toThrow(
        `scoring at ${address} answered INTERNAL: the model store failed`,
      );
    } finally {
      client.close();
    }
  });
});

describe("rapport model scoring", () => {
  it("prints the model for people, from scoring at SCORING_GRPC_ADDRESS", async () => {
    const address = await scoring(answersModel);
    const { io, out } = bufferedIo({ SCORING_GRPC_ADDRESS: address });
    expect(await runCli(["model", "scoring"], io, commandTable)).toBe(0);
    expect(out.stdout).toContain(`Population model ${model.modelId}\n`);
    expect(out.stdout).toContain("  r 0.25  alpha 4.5  a 0.8  b 2.5\n");
    expect(out.stdout).toContain("Gamma-Gamma (spend per order)\n  not fitted");
    expect(out.stderr).toBe("");
  });

  it("prints the model as JSON with --json, from scoring at --scoring", async () => {
    const address = await scoring(answersModel);
    const { io, out } = bufferedIo({ SCORING_GRPC_ADDRESS: "127.0.0.1:1" });
    expect(await runCli(["model", "scoring", "--json", "--scoring", address], io, commandTable)).toBe(0);
    const { bgNbd: _kept, ...printed } = model;
    expect(JSON.parse(out.stdout)).toEqual({ ...printed, gammaGamma: null });
  });

  it("asks for the model in force at --as-of, and fits one as of it with --refit", async () => {
    const asked: string[] = [];
    const address = await scoring(
      (call, callback) => {
        asked.push(`GetModel ${call.request.asOf}`);
        callback(null, { model });
      },
      (call, callback) => {
        asked.push(`RefitModels ${call.request.asOf}`);
        callback(null, { model: { ...model, fittedAsOf: call.request.asOf } });
      },
    );
    const { io, out } = bufferedIo({ SCORING_GRPC_ADDRESS: address });
    expect(await runCli(["model", "scoring", "--as-of", "2025-07-01"], io, commandTable)).toBe(0);
    expect(await runCli(["model", "scoring", "--refit", "--as-of", "2025-07-01"], io, commandTable)).toBe(0);
    expect(await runCli(["model", "scoring", "--refit"], io, commandTable)).toBe(0);

    expect(asked).toEqual([
      "GetModel 2025-07-01T00:00:00.000Z",
      "RefitModels 2025-07-01T00:00:00.000Z",
      "RefitModels ",
    ]);
    expect(out.stdout).toContain("  fitted as of            2025-07-01T00:00:00.000Z\n");
  });

  it("exits 1 with a message saying what to do when there is no model or no scoring", async () => {
    const address = await scoring(noModelYet);
    const { io, out } = bufferedIo({ SCORING_GRPC_ADDRESS: address });
    expect(await runCli(["model", "scoring"], io, commandTable)).toBe(1);
    expect(out.stderr).toMatch(/^rapport model: scoring at \S+ has no population model yet\. Wait for/);
    expect(out.stdout).toBe("");

    server?.forceShutdown();
    const down = bufferedIo({ SCORING_GRPC_ADDRESS: address });
    expect(await runCli(["model", "scoring"], down.io, commandTable)).toBe(1);
    expect(down.out.stderr).toContain(`rapport model: cannot reach scoring at ${address}: is it running?`);
  });

  it("exits 64 on a wrong command line before asking scoring anything", async () => {
    const { io, out } = bufferedIo();
    expect(await runCli(["model", "offer"], io, commandTable)).toBe(64);
    expect(out.stderr).toContain('rapport model: no model of "offer"; choose one of scoring, backtest');
    expect(await runCli(["help"], io, commandTable)).toBe(0);
    expect(out.stdout).toMatch(/\n {2}model +show, fit or backtest scoring's population model/);
  });
});
