/**
 * The program an eSpeak NG worker process runs (`node --input-type=module -e`). It compiles the WASM
 * build once, then serves requests read as JSON lines on stdin — { id, args, text } — by running a fresh
 * eSpeak instance (fresh memory, the compiled module reused) with `-w` (WAV) and `-x` (phonemes per clause,
 * words separated by two spaces), and answers each with one JSON line on stdout:
 * { id, wav: base64, phonemes: string[] } or { id, error }. Kept as source text so it runs with plain
 * Node, no TypeScript loader. Its first argument is the URL of the espeak-ng package's JS module.
 *
 * Most of a fresh instance's cost is not speech but registering the ~450 data files embedded in the WASM
 * (espeak-ng-data) in its in-memory file system: Emscripten's loader makes every parent folder again and
 * builds an Error with a stack trace for each "already exists" and "not found" on the way. The worker
 * swaps in a loader that makes each folder once and captures no stack traces — the same files, the same
 * bytes out, in about half the time — so the local voice can afford one instance per clause.
 */
export const ESPEAK_WORKER_SOURCE = `
import { readFile } from "node:fs/promises";
import { createInterface } from "node:readline";
const moduleUrl = process.argv[1];
const { default: createESpeakNg } = await import(moduleUrl);
const wasm = await WebAssembly.compile(await readFile(new URL("espeak-ng.wasm", moduleUrl)));
const EMBEDDED_FILES = "_emscripten_fs_load_embedded_files";
const utf8 = new TextDecoder();
function embeddedFileLoader(instance) {
  return (table) => {
    const { FS } = instance.module;
    const buffer = instance.memory.buffer;
    const words = new Uint32Array(buffer);
    const bytes = new Uint8Array(buffer);
    const folders = new Set();
    const stackTraceLimit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    try {
      let at = table;
      do {
        const nameAt = words[at >> 2];
        const length = words[(at >> 2) + 1];
        const content = words[(at >> 2) + 2];
        at += 12;
        const name = utf8.decode(bytes.subarray(nameAt, bytes.indexOf(0, nameAt)));
        let folder = "";
        for (const part of name.split("/").filter(Boolean).slice(0, -1)) {
          folder += "/" + part;
          if (folders.has(folder)) continue;
          folders.add(folder);
          try { FS.mkdir(folder); } catch { /* made by eSpeak's own start-up */ }
        }
        // As Emscripten's loader does: the file owns its slice of the WASM memory, never copied.
        FS.createDataFile(name, null, new Int8Array(buffer, content, length), true, true, true);
      } while (words[at >> 2]);
    } finally {
      Error.stackTraceLimit = stackTraceLimit;
    }
  };
}
async function speak(request) {
  const phonemes = [];
  const instance = {};
  const instantiateWasm = (imports, receive) => {
    let linked = imports;
    if (typeof imports.env?.[EMBEDDED_FILES] === "function") {
      const env = { ...imports.env, [EMBEDDED_FILES]: embeddedFileLoader(instance) };
      linked = { ...imports, env, wasi_snapshot_preview1: env };
    }
    WebAssembly.instantiate(wasm, linked).then((created) => {
      instance.memory = created.exports.memory;
      receive(created, wasm);
    });
    return {};
  };
  const espeak = await createESpeakNg({
    arguments: [...request.args, "-x", "--sep= ", "-w", "/out.wav", "-f", "/in.txt"],
    preRun: [(module) => { instance.module = module; module.FS.writeFile("/in.txt", request.text); }],
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
