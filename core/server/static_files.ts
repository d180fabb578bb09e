/**
 * `/static/…` on the API port: the files under `<data-dir>/server/static` (chart tarballs that
 * HelmCharts name as `https://%{KUBERNETES_API}%/static/charts/…`), served without authentication as
 * K3s serves them, and answered as Go's `http.FileServer` answers a missing file.
 *
 * @module
 */
import { readFile, stat } from "node:fs/promises";
import { join, normalize } from "node:path";

/**
 * The response for `pathname` (which starts with `/static/`) from `dir`.
 *
 * @example
 * ```ts
 * await staticFile("/var/lib/rancher/k3s/server/static", "/static/charts/traefik.tgz");
 * ```
 */
export async function staticFile(dir: string, pathname: string): Promise<Response> {
  const relative = normalize(decodeURIComponent(pathname.slice("/static/".length)));
  const notFound = () =>
    new Response("404 page not found\n", { status: 404, headers: { "content-type": "text/plain" } });
  if (relative.startsWith("..") || relative.startsWith("/")) return notFound();
  const path = join(dir, relative);
  try {
    if (!(await stat(path)).isFile()) return notFound();
    return new Response(await readFile(path), { headers: { "content-type": "application/octet-stream" } });
  } catch {
    return notFound();
  }
}
