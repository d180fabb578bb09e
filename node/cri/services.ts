/**
 * The gRPC client constructors of CRI's two services, built once from the protocol text.
 *
 * @module
 */
import * as grpc from "@grpc/grpc-js";
import * as protoLoader from "@grpc/proto-loader";
import protobuf from "protobufjs";
import { CRI_PROTO } from "./api_proto.ts";

/** `runtime.v1.RuntimeService` and `runtime.v1.ImageService`. */
export interface CriServices {
  RuntimeService: grpc.ServiceClientConstructor;
  ImageService: grpc.ServiceClientConstructor;
}

let services: CriServices | undefined;

/**
 * The constructors, loaded on first use: snake_case field names, enums as names, 64-bit integers as
 * numbers, and every field of a decoded message present.
 *
 * @example
 * ```ts
 * const { RuntimeService } = criServices();
 * const runtime = new RuntimeService("unix:///run/k3s/containerd/containerd.sock", grpc.credentials.createInsecure());
 * ```
 */
export function criServices(): CriServices {
  if (services) return services;
  const root = new protobuf.Root();
  protobuf.parse(CRI_PROTO, root, { keepCase: true });
  const definition = protoLoader.fromJSON(root.toJSON(), {
    keepCase: true,
    longs: Number,
    enums: String,
    defaults: true,
  });
  const pkg = (grpc.loadPackageDefinition(definition).runtime as grpc.GrpcObject).v1 as grpc.GrpcObject;
  services = {
    RuntimeService: pkg.RuntimeService as grpc.ServiceClientConstructor,
    ImageService: pkg.ImageService as grpc.ServiceClientConstructor,
  };
  return services;
}
