/** One rendered artifact: a path relative to the stack's output folder and its exact text. */
export interface RenderedFile {
  /** e.g. `prometheus/prometheus.yml`, `grafana/dashboards/services/api.json`. */
  readonly path: string;
  readonly content: string;
}

export function sortFiles(files: readonly RenderedFile[]): RenderedFile[] {
  return [...files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
