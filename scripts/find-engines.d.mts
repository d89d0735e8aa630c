// Types of find-engines.mjs for TypeScript callers (the examples test).
export type Engine = 'chromium' | 'firefox' | 'webkit';
export declare const ENGINES: Engine[];
/** Chromium's launch flags (no sandbox as root, fake camera without a prompt). */
export declare const CHROMIUM_ARGS: string[];
/** Firefox's fake camera, allowed without a prompt. */
export declare const FIREFOX_PREFS: Record<string, boolean>;
/** Where the engine's executables are, or why it cannot run here. */
export declare function findEngine(engine: Engine): {
  executablePath?: string;
  miniBrowser?: string;
  webDriver?: string;
  xvfb?: string;
  missing?: string;
};
/** The engines `WTR_ENGINES` asks for, or all three. */
export declare function wantedEngines(): Engine[];
