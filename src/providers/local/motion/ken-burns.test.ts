import { describe, expect, it } from "vitest";
import { chooseMove, KEN_BURNS_MOVES, kenBurnsFilter } from "./ken-burns.ts";

describe("Ken Burns filter builder", () => {
  it("builds a zoompan graph with exactly the requested frames and size", () => {
    const filter = kenBurnsFilter({ move: "zoom_in", width: 1280, height: 720, fps: 25, frames: 100 });
    expect(filter).toContain("scale=2560:1440:force_original_aspect_ratio=increase,crop=2560:1440");
    expect(filter).toContain(":d=100:s=1280x720:fps=25");
    expect(filter).toMatch(/z='1\+0\.1\d*\*\(3\*pow\(on\/99,2\)/);
    expect(filter.endsWith("setsar=1,format=yuv420p")).toBe(true);
  });

  it("follows the prompt, else the seed", () => {
    expect(chooseMove("a slow push in on her face", 0)).toBe("zoom_in");
    expect(chooseMove("pull back to reveal the street", 0)).toBe("zoom_out");
    expect(chooseMove("pan left across the room", 0)).toBe("pan_left");
    expect(KEN_BURNS_MOVES.map((_, seed) => chooseMove(undefined, seed))).toEqual([...KEN_BURNS_MOVES]);
  });
});
