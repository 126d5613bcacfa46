import { it, expect } from "vitest";
import { startEngine } from "./engine";
import { ensureImages } from "./images";

it("engine+images", async () => {
  const e = await startEngine();
  try {
    console.log("start", e.startSeconds, e.subnet);
    const r = await ensureImages(e.docker);
    console.log(r);
    expect(r.length).toBe(9);
  } finally {
    await e.stop();
  }
}, 600_000);
