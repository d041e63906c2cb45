import { test } from "node:test";
import { useBrowserHarness } from "./browser_harness.ts";
const harness = useBrowserHarness("load-dbg");
test("load", async () => {
  const hash = Deno.env.get("HASH") ?? "";
  for (let round = 0; round < Number(Deno.env.get("ROUNDS") ?? 3); round++) {
    const opened = await harness().newPage();
    const { page } = opened;
    await page.addInitScript(() => {
      const g = globalThis as any; g.longTasks = [];
      new PerformanceObserver((list) => { for (const e of list.getEntries()) g.longTasks.push({ start: e.startTime, duration: e.duration }); }).observe({ type: "longtask", buffered: true });
    });
    const cdp = await page.context().newCDPSession(page); const events: any[] = [];
    cdp.on("Tracing.dataCollected", (d: any) => events.push(...d.value));
    await cdp.send("Tracing.start", { categories: "devtools.timeline,disabled-by-default-devtools.timeline,v8.execute,blink.user_timing,disabled-by-default-v8.cpu_profiler", transferMode: "ReportEvents" });
    await page.goto(harness().url + hash);
    await page.waitForFunction(() => document.getElementById("train-loss")?.textContent !== "–" && document.querySelector("#network canvas") !== null);
    await page.waitForTimeout(1500);
    const lt = await page.evaluate(() => (globalThis as any).longTasks);
    console.log("round", round, JSON.stringify(lt.map((t: any) => [Math.round(t.start), Math.round(t.duration)])));
    const done = new Promise((r) => cdp.once("Tracing.tracingComplete", r));
    await cdp.send("Tracing.end"); await done;
    const main = events.find((e) => e.name === "thread_name" && e.args?.name === "CrRendererMain");
    const tasks = events.filter((e) => e.name === "RunTask" && e.dur > 40000 && (!main || e.tid === main.tid));
    for (const t of tasks) {
      const kids = events.filter((e) => e.tid === t.tid && e.ts >= t.ts && e.ts < t.ts + t.dur && e.dur > 3000 && e.name !== "RunTask" && !e.name.startsWith("V8.GC") );
      console.log("  task", Math.round(t.dur / 1000), kids.slice(0, 14).map((k) => `${k.name}${k.args?.data?.functionName ? "(" + k.args.data.functionName + ")" : ""}${k.args?.data?.url ? "[" + String(k.args.data.url).split("/").pop() + ":" + k.args.data.lineNumber + "]" : ""}:${Math.round(k.dur / 1000)}`).join(" "));
    }
    // the CPU profile samples: top self functions inside long tasks
    await opened.page.close();
  }
});
