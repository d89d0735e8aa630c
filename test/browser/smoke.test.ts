import { expect } from '@open-wc/testing';

describe('test server', () => {
  it('serves the emulator controls and the proxy', async () => {
    const reset = await fetch('/emulator/__control/reset', { method: 'POST', body: '{}' });
    expect(reset.ok).to.equal(true);
    const status = await fetch('/api/fashn/status/unknown-id');
    expect(status.status).to.equal(404);
    const body = await status.json();
    expect(body.error).to.equal('NotFound');
  });
});
