/** Variables that point LitinkAI at servers, keys or folders: a test or bench run must not inherit them. */
const LITINK_SETTINGS = /^(DATABASE_URL|REDIS_URL|STORAGE_URL|LITINK_|OPENROUTER_|MODELSLAB_|ELEVENLABS_)/;

/**
 * This process's environment without any LitinkAI setting or provider key (so a child `litink` runs on
 * the embedded defaults and offline providers), plus `extra`.
 */
export function cleanLitinkEnv(extra: Readonly<Record<string, string>> = {}): NodeJS.ProcessEnv {
  const kept = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !LITINK_SETTINGS.test(name)),
  );
  return { ...kept, ...extra };
}
