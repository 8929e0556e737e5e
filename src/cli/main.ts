/** Placeholder replaced below in this session. */
export async function main(_argv: string[]): Promise<number> {
  return 0;
}
