/** Stereo streams summed by one `amerge` + `pan` at most: 8 streams are 16 channels, well under pan's 64. */
const MAX_INPUTS_PER_MERGE = 8;

/**
 * Filter chains that add stereo streams `inputs` (labels without brackets, all the same length) sample
 * by sample into `output`: `amerge` lays them side by side and `pan` adds the left and the right
 * channels with gain 1. Unlike `amix`, which in FFmpeg 4.1 divides by the number of inputs still
 * playing (so later inputs come out louder), this changes no level. More than 8 inputs are summed
 * in a tree, to keep the channel count bounded.
 */
export function sumStereoFilters(inputs: readonly string[], output: string): string[] {
  const first = inputs[0];
  if (first === undefined) throw new Error("sumStereoFilters needs at least one input");
  if (inputs.length === 1) return [`[${first}]anull[${output}]`];
  if (inputs.length <= MAX_INPUTS_PER_MERGE) return [mergeAndPan(inputs, output)];
  const chains: string[] = [];
  const partials: string[] = [];
  for (let start = 0; start < inputs.length; start += MAX_INPUTS_PER_MERGE) {
    const group = inputs.slice(start, start + MAX_INPUTS_PER_MERGE);
    const label = `${output}_sum${partials.length}`;
    chains.push(...sumStereoFilters(group, label));
    partials.push(label);
  }
  return [...chains, ...sumStereoFilters(partials, output)];
}

function mergeAndPan(inputs: readonly string[], output: string): string {
  const left = inputs.map((_, index) => `c${2 * index}`).join("+");
  const right = inputs.map((_, index) => `c${2 * index + 1}`).join("+");
  const labels = inputs.map((input) => `[${input}]`).join("");
  return `${labels}amerge=inputs=${inputs.length},pan=stereo|c0=${left}|c1=${right}[${output}]`;
}
