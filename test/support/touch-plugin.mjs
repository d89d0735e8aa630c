// web-test-runner command `touch-only`: makes the test's Chromium page a
// touch-only screen (no mouse: `(any-pointer: fine)` stops matching), through
// the DevTools protocol, as Chrome's device mode does. Browser tests call
// `executeServerCommand('touch-only')`. It lasts for the page, i.e. the rest of
// that test file: turning emulation off again leaves Chromium with headless's
// "no pointer at all", not the mouse the config's --blink-settings give it.
export function touchOnlyPlugin() {
  return {
    name: 'touch-only',
    async executeCommand({ command, session }) {
      if (command !== 'touch-only') return undefined;
      const page = session.browser.getPage(session.id);
      const cdp = await page.createCDPSession();
      await cdp.send('Emulation.setTouchEmulationEnabled', {
        enabled: true,
        maxTouchPoints: 5,
      });
      await cdp.detach();
      return true;
    },
  };
}
