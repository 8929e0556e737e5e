/**
 * The program the eSpeak NG child process runs (`node --input-type=module -e`): it reads one JSON request
 * on stdin ({ moduleUrl, args, text }), runs the WASM build of eSpeak NG once with `-w` (WAV) and `-x`
 * (phonemes per clause, words separated by two spaces), and writes one JSON reply on stdout
 * ({ wav: base64, phonemes: string[] }). Kept as source text so it runs with plain Node, no TypeScript loader.
 */
export const ESPEAK_CHILD_SOURCE = `
const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const request = JSON.parse(Buffer.concat(chunks).toString("utf8"));
const { default: createESpeakNg } = await import(request.moduleUrl);
const phonemes = [];
const espeak = await createESpeakNg({
  arguments: [...request.args, "-x", "--sep= ", "-w", "/out.wav", "-f", "/in.txt"],
  preRun: [(module) => module.FS.writeFile("/in.txt", request.text)],
  print: (line) => phonemes.push(line),
  printErr: (line) => { if (!/keepRuntimeAlive/.test(line)) process.stderr.write(line + "\\n"); },
});
const wav = espeak.FS.readFile("/out.wav");
process.stdout.write(JSON.stringify({ wav: Buffer.from(wav).toString("base64"), phonemes }), () => process.exit(0));
`;
