// A closing table per engine: how many tests ran, passed, failed and were
// skipped, and each skipped test by name (its title says why), so no test is
// silently dropped in one engine.

function* testsOf(suite, path = []) {
  if (!suite) return;
  const here = suite.name ? [...path, suite.name] : path;
  for (const test of suite.tests) yield { ...test, title: [...here, test.name].join(' › ') };
  for (const child of suite.suites) yield* testsOf(child, here);
}

export function engineReport() {
  let startTime = 0;
  return {
    start({ startTime: at }) {
      startTime = at;
    },
    stop({ sessions }) {
      const engines = new Map();
      for (const session of sessions) {
        const name = session.browser.name;
        const row = engines.get(name) ?? {
          files: 0,
          passed: 0,
          failed: 0,
          skipped: [],
          broken: [],
        };
        engines.set(name, row);
        row.files += 1;
        if (session.errors.length || (!session.passed && !session.testResults))
          row.broken.push(session.testFile);
        for (const test of testsOf(session.testResults)) {
          if (test.skipped)
            row.skipped.push(
              `${session.testFile.replace(/^.*test\/browser\//, '')}: ${test.title}`,
            );
          else if (test.passed) row.passed += 1;
          else row.failed += 1;
        }
      }
      const seconds = ((Date.now() - startTime) / 1000).toFixed(0);
      const lines = [`\nBrowser tests per engine (${seconds} s):`];
      for (const [name, row] of engines) {
        lines.push(
          `  ${name}: ${row.files} files, ${row.passed} passed, ${row.failed} failed, ${row.skipped.length} skipped`,
        );
        for (const file of row.broken) lines.push(`    file did not finish: ${file}`);
        for (const title of row.skipped) lines.push(`    skipped ${title}`);
      }
      console.log(lines.join('\n'));
    },
  };
}
