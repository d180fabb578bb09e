/**
 * kube's Node authorizer (`--authorization-mode=Node`): a kubelet may read the secrets, config maps, volumes, claims
 * and service account tokens of pods bound to it and nothing else of those kinds; its own Node object and Lease;
 * pods only one by one or listed by its own `spec.nodeName` (kube 1.32's `AuthorizeNodeWithSelectors`, on by
 * default); everything else by the static `system:node` rules. Users that are not nodes get no opinion, so RBAC
 * decides for them.
 *
 * @module
 */
import type { UserInfo } from "../../api/router.ts";
import type { Attributes } from "../authorization/attributes.ts";
import type { Authorizer, Decision, UserRules } from "../authorization/authorizer.ts";
import { rulesAllow } from "../rbac/rules.ts";
import type { PolicyRule } from "../rbac/types.ts";
import type { NodeGraph, VertexType } from "./graph.ts";
import { nodeIdentity } from "./identity.ts";

/** The namespace of node heartbeats. */
export const NODE_LEASE_NAMESPACE = "kube-node-lease";

const allow: Decision = { decision: "allow", reason: "" };
const noOpinion = (reason = ""): Decision => ({ decision: "noOpinion", reason });

/**
 * The `Node` authorization mode.
 *
 * @example
 * ```ts
 * const node = new NodeAuthorizer(new NodeGraph((kind) => manager.informer(kind)), NODE_RULES);
 * await node.authorize(attributes);
 * ```
 */
export class NodeAuthorizer implements Authorizer {
  constructor(private readonly graph: NodeGraph, private readonly nodeRules: PolicyRule[]) {}

  async authorize(a: Attributes): Promise<Decision> {
    const node = nodeIdentity(a.user);
    if (node === undefined) return noOpinion();
    if (node === "") return noOpinion(`unknown node for user ${JSON.stringify(a.user.username)}`);
    if (a.isResourceRequest) {
      switch (`${a.apiGroup}/${a.resource}`) {
        case "/secrets":
          return await this.#readNamespaced(node, "secret", a);
        case "/configmaps":
          return await this.#readNamespaced(node, "configmap", a);
        case "/persistentvolumeclaims":
          return a.subresource === "status"
            ? await this.#statusUpdate(node, "persistentvolumeclaim", a)
            : await this.#get(node, "persistentvolumeclaim", a);
        case "/persistentvolumes":
          return await this.#get(node, "persistentvolume", a);
        case "resource.k8s.io/resourceclaims":
          return await this.#get(node, "resourceclaim", a);
        case "storage.k8s.io/volumeattachments":
          return await this.#get(node, "volumeattachment", a);
        case "/serviceaccounts":
          return await this.#createToken(node, a);
        case "coordination.k8s.io/leases":
          return this.#lease(node, a);
        case "storage.k8s.io/csinodes":
          return this.#csiNode(node, a);
        case "/nodes":
          return this.#node(node, a);
        case "/pods":
          return await this.#pod(node, a);
      }
    }
    return rulesAllow(a, this.nodeRules) ? allow : noOpinion();
  }

  /** Nodes cannot enumerate their permissions (kube's `RulesFor` says so for node users). */
  rulesFor(user: UserInfo): UserRules {
    const isNode = nodeIdentity(user) !== undefined;
    return {
      resourceRules: [],
      nonResourceRules: [],
      incomplete: isNode,
      errors: isNode ? ["node authorizer does not support user rule resolution"] : [],
    };
  }

  async #related(node: string, type: VertexType, a: Attributes): Promise<Decision> {
    if (!a.name) return noOpinion("No Object name found");
    return await this.graph.hasPathFrom(node, type, a.namespace, a.name)
      ? allow
      : noOpinion(`no relationship found between node '${node}' and this object`);
  }

  async #readNamespaced(node: string, type: VertexType, a: Attributes): Promise<Decision> {
    if (!["get", "list", "watch"].includes(a.verb)) return noOpinion("can only read resources of this type");
    if (a.subresource) return noOpinion("cannot read subresource");
    if (!a.namespace) return noOpinion("can only read namespaced object of this type");
    return await this.#related(node, type, a);
  }

  async #get(node: string, type: VertexType, a: Attributes): Promise<Decision> {
    if (a.verb !== "get") return noOpinion("can only get individual resources of this type");
    if (a.subresource) return noOpinion("cannot get subresource");
    return await this.#related(node, type, a);
  }

  async #statusUpdate(node: string, type: VertexType, a: Attributes): Promise<Decision> {
    if (a.verb !== "update" && a.verb !== "patch") return noOpinion("can only get/update/patch this type");
    if (a.subresource !== "status") return noOpinion("can only update status subresource");
    return await this.#related(node, type, a);
  }

  async #createToken(node: string, a: Attributes): Promise<Decision> {
    if (a.verb !== "create" || !a.name) return noOpinion("can only create tokens for individual service accounts");
    if (a.subresource !== "token") return noOpinion("can only create token subresource of serviceaccount");
    return await this.#related(node, "serviceaccount", a);
  }

  #lease(node: string, a: Attributes): Decision {
    if (!["get", "create", "update", "patch", "delete"].includes(a.verb)) {
      return noOpinion("can only get, create, update, patch, or delete a node lease");
    }
    if (a.namespace !== NODE_LEASE_NAMESPACE) {
      return noOpinion(`can only access leases in the ${JSON.stringify(NODE_LEASE_NAMESPACE)} system namespace`);
    }
    // The name of a lease being created is in its body: NodeRestriction checks it.
    if (a.verb !== "create" && a.name !== node) {
      return noOpinion("can only access node lease with the same name as the requesting node");
    }
    return allow;
  }

  #csiNode(node: string, a: Attributes): Decision {
    if (!["get", "create", "update", "patch", "delete"].includes(a.verb)) {
      return noOpinion("can only get, create, update, patch, or delete a CSINode");
    }
    if (a.subresource) return noOpinion("cannot authorize CSINode subresources");
    if (a.verb !== "create" && a.name !== node) {
      return noOpinion("can only access CSINode with the same name as the requesting node");
    }
    return allow;
  }

  #node(node: string, a: Attributes): Decision {
    if (a.subresource === "") {
      // Writes are limited to the node's own object by NodeRestriction, which sees the body.
      if (["create", "update", "patch"].includes(a.verb)) return allow;
      if (["get", "list", "watch"].includes(a.verb)) {
        // By name, not through the graph, so a kubelet may look for its Node before registering it.
        if (a.name === node) return allow;
        return noOpinion(
          a.name
            ? `node '${node}' cannot read '${a.name}', only its own Node object`
            : `node '${node}' cannot read all nodes, only its own Node object`,
        );
      }
    }
    if (a.subresource === "status" && (a.verb === "update" || a.verb === "patch")) return allow;
    return noOpinion();
  }

  async #pod(node: string, a: Attributes): Promise<Decision> {
    switch (a.subresource) {
      case "":
        if (a.verb === "get") return await this.#get(node, "pod", a);
        if (a.verb === "list" || a.verb === "watch") {
          if (selectsNode(a.fieldSelector, node)) return allow;
          if (a.name) return await this.#related(node, "pod", a);
          return noOpinion("can only list/watch pods with spec.nodeName field selector");
        }
        // Mirror pods only, bound to the node: NodeRestriction checks the body.
        if (a.verb === "create" || a.verb === "delete") return allow;
        break;
      case "status":
        if (a.verb === "update" || a.verb === "patch") return allow;
        break;
      case "eviction":
        if (a.verb === "create") return allow;
    }
    return noOpinion();
  }
}

/** Whether a field selector has the term `spec.nodeName=<node>`. */
function selectsNode(selector: string | undefined, node: string): boolean {
  return (selector ?? "").split(/(?<!\\),/).some((term) => {
    const match = /^\s*spec\.nodeName\s*(==|=)\s*(.*?)\s*$/.exec(term);
    return match !== null && match[2].replace(/\\(.)/g, "$1") === node;
  });
}
