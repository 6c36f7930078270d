/** Placeholder replaced below. */
export async function runCreatePlugin(name: string, dir?: string): Promise<void> {
  void name;
  void dir;
  throw new Error('create-plugin: not written yet');
}
