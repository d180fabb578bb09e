/**
 * The subset of etcd's v3 gRPC API this backend uses, written for this project from etcd's public API
 * (`etcdserverpb` in rpc.proto, `mvccpb` in kv.proto): field numbers match etcd's so the wire format is
 * the real one. The definition lives in a string rather than a `.proto` file so a single-file bundle
 * needs nothing beside it.
 *
 * @module
 */

import * as grpc from "@grpc/grpc-js";
import * as protoLoader from "@grpc/proto-loader";
import protobuf from "protobufjs";

// Two files' worth, as in etcd: each proto source may declare only one package.
const MVCC_PROTO = `
syntax = "proto3";

package mvccpb;

message KeyValue {
  bytes key = 1;
  int64 create_revision = 2;
  int64 mod_revision = 3;
  int64 version = 4;
  bytes value = 5;
  int64 lease = 6;
}

message Event {
  enum EventType {
    PUT = 0;
    DELETE = 1;
  }
  EventType type = 1;
  KeyValue kv = 2;
  KeyValue prev_kv = 3;
}
`;

const RPC_PROTO = `
syntax = "proto3";

package etcdserverpb;

message ResponseHeader {
  uint64 cluster_id = 1;
  uint64 member_id = 2;
  int64 revision = 3;
  uint64 raft_term = 4;
}

message RangeRequest {
  bytes key = 1;
  bytes range_end = 2;
  int64 limit = 3;
  int64 revision = 4;
  bool serializable = 7;
  bool keys_only = 8;
  bool count_only = 9;
}

message RangeResponse {
  ResponseHeader header = 1;
  repeated mvccpb.KeyValue kvs = 2;
  bool more = 3;
  int64 count = 4;
}

message PutRequest {
  bytes key = 1;
  bytes value = 2;
  int64 lease = 3;
  bool prev_kv = 4;
}

message PutResponse {
  ResponseHeader header = 1;
  mvccpb.KeyValue prev_kv = 2;
}

message DeleteRangeRequest {
  bytes key = 1;
  bytes range_end = 2;
  bool prev_kv = 3;
}

message DeleteRangeResponse {
  ResponseHeader header = 1;
  int64 deleted = 2;
  repeated mvccpb.KeyValue prev_kvs = 3;
}

message RequestOp {
  oneof request {
    RangeRequest request_range = 1;
    PutRequest request_put = 2;
    DeleteRangeRequest request_delete_range = 3;
  }
}

message ResponseOp {
  oneof response {
    RangeResponse response_range = 1;
    PutResponse response_put = 2;
    DeleteRangeResponse response_delete_range = 3;
  }
}

message Compare {
  enum CompareResult {
    EQUAL = 0;
    GREATER = 1;
    LESS = 2;
    NOT_EQUAL = 3;
  }
  enum CompareTarget {
    VERSION = 0;
    CREATE = 1;
    MOD = 2;
    VALUE = 3;
    LEASE = 4;
  }
  CompareResult result = 1;
  CompareTarget target = 2;
  bytes key = 3;
  oneof target_union {
    int64 version = 4;
    int64 create_revision = 5;
    int64 mod_revision = 6;
    bytes value = 7;
    int64 lease = 8;
  }
  bytes range_end = 64;
}

message TxnRequest {
  repeated Compare compare = 1;
  repeated RequestOp success = 2;
  repeated RequestOp failure = 3;
}

message TxnResponse {
  ResponseHeader header = 1;
  bool succeeded = 2;
  repeated ResponseOp responses = 3;
}

message CompactionRequest {
  int64 revision = 1;
  bool physical = 2;
}

message CompactionResponse {
  ResponseHeader header = 1;
}

message WatchRequest {
  oneof request_union {
    WatchCreateRequest create_request = 1;
    WatchCancelRequest cancel_request = 2;
  }
}

message WatchCreateRequest {
  bytes key = 1;
  bytes range_end = 2;
  int64 start_revision = 3;
  bool progress_notify = 4;
  bool prev_kv = 6;
  int64 watch_id = 7;
  bool fragment = 8;
}

message WatchCancelRequest {
  int64 watch_id = 1;
}

message WatchResponse {
  ResponseHeader header = 1;
  int64 watch_id = 2;
  bool created = 3;
  bool canceled = 4;
  int64 compact_revision = 5;
  string cancel_reason = 6;
  bool fragment = 7;
  repeated mvccpb.Event events = 11;
}

message LeaseGrantRequest {
  int64 TTL = 1;
  int64 ID = 2;
}

message LeaseGrantResponse {
  ResponseHeader header = 1;
  int64 ID = 2;
  int64 TTL = 3;
  string error = 4;
}

message LeaseRevokeRequest {
  int64 ID = 1;
}

message LeaseRevokeResponse {
  ResponseHeader header = 1;
}

message LeaseTimeToLiveRequest {
  int64 ID = 1;
  bool keys = 2;
}

message LeaseTimeToLiveResponse {
  ResponseHeader header = 1;
  int64 ID = 2;
  int64 TTL = 3;
  int64 grantedTTL = 4;
  repeated bytes keys = 5;
}

message StatusRequest {}

message StatusResponse {
  ResponseHeader header = 1;
  string version = 2;
  int64 dbSize = 3;
  uint64 leader = 4;
  uint64 raftIndex = 5;
  uint64 raftTerm = 6;
}

service KV {
  rpc Range(RangeRequest) returns (RangeResponse);
  rpc Txn(TxnRequest) returns (TxnResponse);
  rpc Compact(CompactionRequest) returns (CompactionResponse);
}

service Watch {
  rpc Watch(stream WatchRequest) returns (stream WatchResponse);
}

service Lease {
  rpc LeaseGrant(LeaseGrantRequest) returns (LeaseGrantResponse);
  rpc LeaseRevoke(LeaseRevokeRequest) returns (LeaseRevokeResponse);
  rpc LeaseTimeToLive(LeaseTimeToLiveRequest) returns (LeaseTimeToLiveResponse);
}

service Maintenance {
  rpc Status(StatusRequest) returns (StatusResponse);
}
`;

// int64 fields arrive as decimal strings (lease IDs use all 63 bits); `Bytes` stays a Buffer.
/** Decoded `mvccpb.KeyValue`. */
export interface PbKeyValue {
  key: Uint8Array;
  create_revision: string;
  mod_revision: string;
  version: string;
  value: Uint8Array;
  lease: string;
}

/** Decoded `mvccpb.Event`. */
export interface PbEvent {
  type: "PUT" | "DELETE";
  kv: PbKeyValue | null;
  prev_kv: PbKeyValue | null;
}

/** Decoded `etcdserverpb.ResponseHeader`. */
export interface PbHeader {
  revision: string;
}

/** Decoded `etcdserverpb.RangeResponse`. */
export interface PbRangeResponse {
  header: PbHeader;
  kvs: PbKeyValue[];
  more: boolean;
  count: string;
}

/** An `etcdserverpb.RangeRequest` as this backend sends it. */
export interface PbRangeRequest {
  key: Uint8Array;
  range_end?: Uint8Array;
  limit?: number;
  revision?: number;
  count_only?: boolean;
}

/** An `etcdserverpb.Compare`. */
export interface PbCompare {
  result: "EQUAL" | "GREATER" | "LESS" | "NOT_EQUAL";
  target: "VERSION" | "MOD";
  key: Uint8Array;
  version?: number;
  mod_revision?: number;
}

/** An `etcdserverpb.RequestOp`. */
export type PbRequestOp =
  | { request_range: PbRangeRequest }
  | { request_put: { key: Uint8Array; value: Uint8Array; lease?: string; prev_kv?: boolean } }
  | { request_delete_range: { key: Uint8Array; prev_kv?: boolean } };

/** An `etcdserverpb.TxnRequest`. */
export interface PbTxnRequest {
  compare: PbCompare[];
  success: PbRequestOp[];
  failure: PbRequestOp[];
}

/** Decoded `etcdserverpb.TxnResponse`. */
export interface PbTxnResponse {
  header: PbHeader;
  succeeded: boolean;
  responses: {
    response_range: PbRangeResponse | null;
    response_put: { header: PbHeader; prev_kv: PbKeyValue | null } | null;
    response_delete_range: { header: PbHeader; deleted: string; prev_kvs: PbKeyValue[] } | null;
  }[];
}

/** An `etcdserverpb.WatchRequest`. */
export type PbWatchRequest = {
  create_request: {
    key: Uint8Array;
    range_end: Uint8Array;
    start_revision: number;
    prev_kv: boolean;
  };
};

/** Decoded `etcdserverpb.WatchResponse`. */
export interface PbWatchResponse {
  header: PbHeader | null;
  watch_id: string;
  created: boolean;
  canceled: boolean;
  compact_revision: string;
  cancel_reason: string;
  events: PbEvent[];
}

/** Decoded `etcdserverpb.LeaseGrantResponse`. */
export interface PbLeaseGrantResponse {
  ID: string;
  TTL: string;
  error: string;
}

/** Decoded `etcdserverpb.LeaseTimeToLiveResponse`. */
export interface PbLeaseTimeToLiveResponse {
  ID: string;
  TTL: string;
  grantedTTL: string;
}

/** Decoded `etcdserverpb.StatusResponse`. */
export interface PbStatusResponse {
  header: PbHeader;
  version: string;
  dbSize: string;
}

/** The gRPC client constructors of the four services, sharing whatever channel they are given. */
export interface EtcdServices {
  KV: grpc.ServiceClientConstructor;
  Watch: grpc.ServiceClientConstructor;
  Lease: grpc.ServiceClientConstructor;
  Maintenance: grpc.ServiceClientConstructor;
}

let services: EtcdServices | undefined;

/**
 * The etcd service client constructors, built once from the inline definition.
 *
 * @example
 * ```ts
 * const { KV } = etcdServices();
 * const kv = new KV("127.0.0.1:2379", grpc.credentials.createInsecure());
 * ```
 */
export function etcdServices(): EtcdServices {
  if (services) return services;
  const root = new protobuf.Root();
  protobuf.parse(MVCC_PROTO, root, { keepCase: true });
  protobuf.parse(RPC_PROTO, root, { keepCase: true });
  const definition = protoLoader.fromJSON(root.toJSON(), {
    keepCase: true,
    longs: String,
    enums: String,
    defaults: true,
    oneofs: true,
  });
  const pkg = grpc.loadPackageDefinition(definition).etcdserverpb as grpc.GrpcObject;
  services = {
    KV: pkg.KV as grpc.ServiceClientConstructor,
    Watch: pkg.Watch as grpc.ServiceClientConstructor,
    Lease: pkg.Lease as grpc.ServiceClientConstructor,
    Maintenance: pkg.Maintenance as grpc.ServiceClientConstructor,
  };
  return services;
}
