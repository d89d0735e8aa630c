// web-test-runner command `touch-only`: makes the test's Chromium page a
// touch-only screen (no mouse: `(any-pointer: fine)` stops matching), through
// the DevTools protocol, as Chrome's device mode does. Browser tests call
// `executeServerCommand('touch-only')`; it answers false where the engine has
// no such emulation (Firefox over WebDriver BiDi, WebKit over WebDriver), and
// the test skips. It lasts for the page, i.e. the rest of that test file:
// turning emulation off again leaves Chromium with headless's "no pointer at
// all", not the mouse test/support/engines.mjs gives it.
export function touchOnlyPlugin() {
  return {
    name: 'touch-only',
    async executeCommand({ command, session }) {
      if (command !== 'touch-only') return undefined;
      let cdp;
      try {
        const page = session.browser.getPage(session.id);
        cdp = await page.createCDPSession();
      } catch {
        return false;
      }
      await cdp.send('Emulation.setTouchEmulationEnabled', {
        enabled: true,
        maxTouchPoints: 5,
      });
      await cdp.detach();
      return true;
    },
  };
}
