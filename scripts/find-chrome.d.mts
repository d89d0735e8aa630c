// Types of find-chrome.mjs for TypeScript callers (the examples test).
/** Where a Chromium/Chrome executable is looked for, `CHROME_PATH` first. */
export declare const chromeCandidates: string[];
/** The first of `chromeCandidates` that exists, if any. */
export declare function findChrome(): string | undefined;
