#!/usr/bin/env node
// The `fashn-try-on-proxy` command: see `fashn-try-on-proxy --help`.
import { main } from '../dist/proxy-cli.js';

main(process.argv.slice(2), process.env).catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(typeof error?.exitCode === 'number' ? error.exitCode : 1);
});
