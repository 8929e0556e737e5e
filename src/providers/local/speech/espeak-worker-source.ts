/**
 * The program an eSpeak NG worker process runs (`node --input-type=module -e`). It compiles the WASM
 * build once, then serves requests read as JSON lines on stdin — { id, args, text } — by running a fresh
 * eSpeak instance (fresh memory, the compiled module reused) with `-w` (WAV) and `-x` (phonemes per clause,
 * words separated by two spaces), and answers each with one JSON line on stdout:
 * { id, wav: base64, phonemes: string[] } or { id, error }. Kept as source text so it runs with plain
 * Node, no TypeScript loader. Its first argument is the URL of the espeak-ng package's JS module.
 */
export const ESPEAK_WORKER_SOURCE = `
import { readFile } from "node:fs/promises";
import { createInterface } from "node:readline";
const moduleUrl = process.argv[1];
const { default: createESpeakNg } = await import(moduleUrl);
const wasm = await WebAssembly.compile(await readFile(new URL("espeak-ng.wasm", moduleUrl)));
const instantiateWasm = (imports, receive) => {
  WebAssembly.instantiate(wasm, imports).then((instance) => receive(instance, wasm));
  return {};
};
async function speak(request) {
  const phonemes = [];
  const espeak = await createESpeakNg({
    arguments: [...request.args, "-x", "--sep= ", "-w", "/out.wav", "-f", "/in.txt"],
    preRun: [(module) => module.FS.writeFile("/in.txt", request.text)],
    instantiateWasm,
    print: (line) => phonemes.push(line),
    printErr: (line) => { if (!/keepRuntimeAlive/.test(line)) process.stderr.write(line + "\\n"); },
  });
  return { wav: Buffer.from(espeak.FS.readFile("/out.wav")).toString("base64"), phonemes };
}
let queue = Promise.resolve();
for await (const line of createInterface({ input: process.stdin })) {
  if (!line.trim()) continue;
  const request = JSON.parse(line);
  queue = queue.then(async () => {
    let reply;
    try {
      reply = { id: request.id, ...(await speak(request)) };
    } catch (error) {
      reply = { id: request.id, error: String(error && error.message ? error.message : error) };
    }
    await new Promise((resolve) => process.stdout.write(JSON.stringify(reply) + "\\n", resolve));
  });
}
await queue;
process.exit(0);
`;
