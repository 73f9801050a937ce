/**
 * The start of the tools that handle the key and the whole database (backup, restore, keys:rotate):
 * files they write are the service user's alone (umask 077), and a broken setting is said in one
 * line with the exit code 78 (EX_CONFIG) instead of a stack.
 */
import { ConfigError, loadConfig, type Config } from "../config/config.js";

export const EX_CONFIG = 78;

/** The settings, or null once the problem was printed (the caller returns EX_CONFIG). */
export function privateToolConfig(): Config | null {
  process.umask(0o077);
  try {
    return loadConfig();
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    console.error(e.message);
    return null;
  }
}
