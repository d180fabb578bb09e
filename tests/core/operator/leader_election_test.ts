// Leader election on a real Lease: two managers on one store, one runs the controller, the other
// takes over when the first stops (cleanly, or by letting its Lease expire).
import assert from "node:assert/strict";
import { controller } from "../../../core/operator/controller.ts";
import { LeaderElector } from "../../../core/operator/leader_election.ts";
import { Manager } from "../../../core/operator/manager.ts";
import { type Env, eventually, RestLeases, setup } from "./rest_source.ts";

const options = { sanitizeOps: false, sanitizeResources: false };

function server(env: Env, identity: string, reconciled: string[], releaseOnStop = true) {
  const manager = new Manager({
    source: env.source,
    leaderElection: {
      client: new RestLeases(env.rest, env.leases),
      namespace: "default",
      name: "demo-controllers",
      identity,
      leaseDurationMs: 300,
      renewDeadlineMs: 200,
      retryPeriodMs: 50,
      releaseOnStop,
    },
  });
  manager.add(
    controller("demo").for(env.configmaps).complete(({ key }) => {
      reconciled.push(`${identity} ${key}`);
    }),
  );
  const stop = new AbortController();
  const done = manager.start(stop.signal);
  return { manager, stop: async () => (stop.abort(), await done) };
}

for (const release of [true, false]) {
  Deno.test({
    name: `leader election: only one of two managers runs the controller; the other takes over after the first ${
      release ? "stops and releases the Lease" : "stops without releasing, once the Lease expires"
    }`,
    ...options,
    fn: async () => {
      const env = await setup();
      const reconciled: string[] = [];
      const one = server(env, "one", reconciled, release);
      await eventually(() => one.manager.isLeader, "one leads");
      const two = server(env, "two", reconciled, release);
      try {
        await env.rest.create(env.configmaps, "default", { metadata: { name: "a" } });
        await eventually(() => reconciled.includes("one default/a"), "one reconciles a");
        await new Promise((r) => setTimeout(r, 400)); // longer than the lease: renewals keep it with one
        assert.equal(two.manager.isLeader, false);
        assert.ok(reconciled.every((r) => r.startsWith("one ")), reconciled.join());
        const lease = await new RestLeases(env.rest, env.leases).get("default", "demo-controllers");
        assert.equal(lease?.spec?.holderIdentity, "one");

        await one.stop();
        await eventually(() => two.manager.isLeader, "two takes over");
        await eventually(() => reconciled.includes("two default/a"), "two reconciles a");
        const after = await new RestLeases(env.rest, env.leases).get("default", "demo-controllers");
        assert.equal(after?.spec?.holderIdentity, "two");
        assert.equal(after?.spec?.leaseTransitions, 1);
      } finally {
        await one.stop();
        await two.stop();
        await env.store.close();
      }
    },
  });
}

Deno.test({
  name: "leader election: a leader whose Lease was taken stops leading",
  ...options,
  fn: async () => {
    const env = await setup();
    const leases = new RestLeases(env.rest, env.leases);
    const stop = new AbortController();
    let leading: AbortSignal | undefined;
    let stopped = 0;
    const elector = new LeaderElector(leases, {
      namespace: "default",
      name: "l",
      identity: "me",
      leaseDurationMs: 300,
      renewDeadlineMs: 200,
      retryPeriodMs: 30,
      onStartedLeading: (signal) => {
        leading = signal;
      },
      onStoppedLeading: () => stopped++,
    });
    const run = elector.run(stop.signal);
    try {
      await eventually(() => elector.isLeader, "leading");
      const lease = (await leases.get("default", "l"))!;
      // Someone else overwrites the Lease (as an operator with kubectl might): the elector must yield.
      await leases.update({ ...lease, spec: { ...lease.spec, holderIdentity: "intruder" } });
      await eventually(() => !elector.isLeader, "stepped down");
      assert.equal(leading?.aborted, true);
      assert.equal(stopped, 1);
    } finally {
      stop.abort();
      await run;
      await env.store.close();
    }
  },
});
