import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ConsentGate, type FashnConsentDetail } from '../../src/conversion/consent.js';

describe('consent gate', () => {
  it('reports a grant once, and an implied one not at all', () => {
    const decisions: FashnConsentDetail[] = [];
    const gate = new ConsentGate((d) => decisions.push(d));
    gate.grant('external');
    gate.grant('external');
    assert.equal(gate.granted, true);
    assert.deepEqual(decisions, [{ decision: 'granted', via: 'external' }]);
    const implied = new ConsentGate((d) => decisions.push(d));
    implied.assume();
    assert.equal(implied.granted, true);
    assert.equal(decisions.length, 1);
  });

  it('declining takes the grant back and is reported each time', async () => {
    const decisions: FashnConsentDetail[] = [];
    const gate = new ConsentGate((d) => decisions.push(d));
    gate.grant('element');
    gate.decline('external');
    assert.equal(gate.granted, false);
    gate.decline('element');
    assert.deepEqual(
      decisions.map((d) => d.decision),
      ['granted', 'declined', 'declined'],
    );
  });
});
