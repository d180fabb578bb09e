import assert from "node:assert/strict";
import {
  fenceposts,
  newReplicaSetSize,
  oldReplicaSetSizes,
  scaledValue,
} from "../../../controllers/deployment/rolling.ts";

Deno.test("rolling: percentages round up for surge and down for unavailability", () => {
  assert.equal(scaledValue("25%", 10, true), 3);
  assert.equal(scaledValue("25%", 10, false), 2);
  assert.equal(scaledValue(2, 10, false), 2);
  assert.equal(scaledValue(undefined, 4, true), 1);
  assert.throws(() => scaledValue("lots", 10, true));
});

Deno.test("rolling: fenceposts default to 25% and never both zero; Recreate allows neither", () => {
  assert.deepEqual(fenceposts({ type: "RollingUpdate" }, 10), { maxSurge: 3, maxUnavailable: 2 });
  assert.deepEqual(fenceposts({ type: "RollingUpdate", rollingUpdate: { maxSurge: 0, maxUnavailable: "10%" } }, 3), {
    maxSurge: 0,
    maxUnavailable: 1,
  });
  assert.deepEqual(fenceposts({ type: "Recreate" }, 3), { maxSurge: 0, maxUnavailable: 0 });
});

Deno.test("rolling: the new ReplicaSet grows only within replicas + maxSurge", () => {
  const posts = { maxSurge: 1 };
  assert.equal(newReplicaSetSize(4, posts, { replicas: 0, available: 0 }, [{ replicas: 4, available: 4 }]), 1);
  assert.equal(newReplicaSetSize(4, posts, { replicas: 1, available: 0 }, [{ replicas: 4, available: 4 }]), 1);
  assert.equal(newReplicaSetSize(4, posts, { replicas: 1, available: 0 }, [{ replicas: 3, available: 3 }]), 2);
  assert.equal(newReplicaSetSize(4, posts, { replicas: 6, available: 0 }, []), 4, "shrinks straight to replicas");
});

Deno.test("rolling: old ReplicaSets shrink unhealthy pods first and never below minimum availability", () => {
  const posts = { maxUnavailable: 1 };
  // Nothing available anywhere: only the one pod maxUnavailable allows may go.
  assert.deepEqual(oldReplicaSetSizes(4, posts, { replicas: 1, available: 0 }, [{ replicas: 4, available: 0 }]), [3]);
  assert.deepEqual(oldReplicaSetSizes(4, posts, { replicas: 2, available: 0 }, [{ replicas: 3, available: 0 }]), [3]);
  // All old pods available and the new one ready: the surplus over 3 available goes, oldest first.
  assert.deepEqual(
    oldReplicaSetSizes(4, posts, { replicas: 1, available: 1 }, [{ replicas: 2, available: 2 }, {
      replicas: 2,
      available: 2,
    }]),
    [0, 2],
  );
  assert.deepEqual(oldReplicaSetSizes(4, posts, { replicas: 4, available: 4 }, [{ replicas: 0, available: 0 }]), [0]);
});
