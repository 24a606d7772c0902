import { spawn } from "node:child_process";
import { describe, expect, it } from "vitest";
import { isOurProcess, isProcessAlive, terminateProcess } from "../src/process-control.js";

function startSleeper(script: string): number {
  const child = spawn("bash", ["-c", script], { stdio: "ignore" });
  if (child.pid === undefined) throw new Error("bash did not start");
  return child.pid;
}

describe("terminateProcess", () => {
  it("stops a process that honours SIGTERM", async () => {
    const pid = startSleeper("exec sleep 30");

    expect(await terminateProcess(pid, 5000)).toBe("stopped");
    expect(isProcessAlive(pid)).toBe(false);
  });

  it("kills a process that ignores SIGTERM once the grace period is over", async () => {
    // The trap is set before the loop starts; wait for bash to report it is ready.
    const child = spawn("bash", ["-c", "trap '' TERM; echo ready; while true; do sleep 0.1; done"], {
      stdio: ["ignore", "pipe", "ignore"],
    });
    await new Promise((resolve) => child.stdout.once("data", resolve));
    const pid = child.pid ?? 0;

    expect(await terminateProcess(pid, 200)).toBe("killed");
    expect(isProcessAlive(pid)).toBe(false);
  });

  it("reports a pid that no longer runs", async () => {
    const child = spawn("bash", ["-c", "exit 0"], { stdio: "ignore" });
    await new Promise((resolve) => child.once("exit", resolve));
    const pid = child.pid ?? 0;

    expect(await terminateProcess(pid)).toBe("not-running");
  });
});

describe("isOurProcess", () => {
  it("tells our server apart from another process that has its pid", async () => {
    const pid = startSleeper("exec sleep 30");

    expect(isOurProcess(pid, "sleep")).toBe(true);
    expect(isOurProcess(pid, "kafka.Kafka")).toBe(false);
    await terminateProcess(pid);
  });
});
