// Types of webkit-driver.mjs for TypeScript callers (the benchmarks).
/** A TCP port nobody listens on right now. */
export declare function freePort(): Promise<number>;
/** Xvfb (unless DISPLAY is set) and WebKitWebDriver, running; `stop()` ends both. */
export declare function startWebKitDriver(): Promise<{
  hostname: string;
  port: number;
  capabilities: Record<string, unknown>;
  stop(): Promise<void>;
}>;
/** MiniBrowser with automation and WebKit's mock camera. */
export declare function webkitCapabilities(binary: string): Record<string, unknown>;
