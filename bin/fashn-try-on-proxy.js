#!/usr/bin/env node
// The `fashn-try-on-proxy` command. The proxy itself is src/proxy/cli.ts,
// bundled to dist/proxy-cli.js by `npm run build`; run it from source with
// `node --import tsx src/proxy/cli.ts`.
import { runCli } from '../dist/proxy-cli.js';

await runCli(process.argv.slice(2), process.env);
