import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ConsentGate, type FashnConsentDetail } from '../../src/conversion/consent.js';

describe('consent gate', () => {
  it('waits for the grant, then lets every waiter through, reporting once', async () => {
    const decisions: FashnConsentDetail[] = [];
    const gate = new ConsentGate((d) => decisions.push(d));
    let through = 0;
    const waiting = [
      gate.whenGranted().then(() => through++),
      gate.whenGranted().then(() => through++),
    ];
    await new Promise((r) => setTimeout(r, 10));
    assert.equal(through, 0);
    gate.grant('external');
    gate.grant('external');
    await Promise.all(waiting);
    assert.equal(through, 2);
    assert.deepEqual(decisions, [{ decision: 'granted', via: 'external' }]);
    await gate.whenGranted();
  });

  it('a waiter whose run is canceled stops waiting', async () => {
    const gate = new ConsentGate();
    const controller = new AbortController();
    const waiting = gate.whenGranted(controller.signal);
    controller.abort(new Error('closed'));
    await assert.rejects(waiting, /closed/);
    await assert.rejects(gate.whenGranted(AbortSignal.abort(new Error('already'))), /already/);
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
