/**
 * The cluster's workloads, from kube-state-metrics (v2.16, components/images.ts) and the kubelets: pods
 * crash-looping or not ready, containers OOM-killed, Deployments / StatefulSets / DaemonSets short of their spec,
 * volumes filling up, nodes not ready. Names follow kubernetes-mixin where it has the alert, so runbooks people
 * already know still apply. kube-state-metrics labels pod series with the pod's `uid`; the alerts drop it (and
 * the one-value `reason`/`condition` labels) so a notification names namespace, pod and container only.
 */
import type { AlertRule, RulePack, RuleTest } from "../core/rules/model";
import { sel } from "./config";
import { counter, firingAt, gauge, HOLDS_FROM_SECOND_SAMPLE, HOLDS_FROM_START, labelsFor, type PackContext, pct, series, stepsFor } from "./kit";

export const KUBERNETES_ALERTS = [
  "KubePodCrashLooping", "KubePodNotReady", "KubeContainerOomKilled", "KubeDeploymentReplicasMismatch",
  "KubeStatefulSetReplicasMismatch", "KubeDaemonSetPodsUnavailable", "KubePersistentVolumeFillingUp",
  "KubePersistentVolumeAlmostFull", "KubeNodeNotReady",
] as const;

const POD = "{{ $labels.namespace }}/{{ $labels.pod }}";

export function kubernetesPack({ content, b }: PackContext): RulePack {
  const c = content.kubernetes;
  const k = (metric: string, extra?: string): string => sel(metric, c.stateSelector, extra);
  const v = (metric: string): string => sel(metric, c.kubeletSelector);
  const pods = b.dashboard("containers");
  const crashLooping = b.alert({
    alert: "KubePodCrashLooping",
    severity: "warning",
    for: "15m",
    expr: `max without (uid, reason) (max_over_time(${k("kube_pod_container_status_waiting_reason", 'reason="CrashLoopBackOff"')}[5m])) >= 1`,
    annotations: {
      summary: `Container {{ $labels.container }} of pod ${POD} is crash-looping`,
      description: `Container {{ $labels.container }} of pod ${POD} keeps exiting and the kubelet backs off restarting it (CrashLoopBackOff) for 15 minutes: read its previous logs (kubectl logs --previous).`,
      dashboard: pods,
    },
  });
  const notReady = b.alert({
    alert: "KubePodNotReady",
    severity: "warning",
    for: "15m",
    // Finished pods (Succeeded) and Job pods are not ready by design.
    expr: `max without (uid, condition) (${k("kube_pod_status_ready", 'condition="false"')}) == 1\nunless on (namespace, pod)\n(max without (uid, phase) (${k("kube_pod_status_phase", 'phase="Succeeded"')}) == 1)\nunless on (namespace, pod)\n${k("kube_pod_owner", 'owner_kind="Job"')}`,
    annotations: {
      summary: `Pod ${POD} is not ready`,
      description: `Pod ${POD} has not been ready for 15 minutes: it is pending (no node fits, an image cannot be pulled) or running but failing its readiness probe, so its Service sends it no traffic.`,
      dashboard: pods,
    },
  });
  const oom = b.alert({
    alert: "KubeContainerOomKilled",
    severity: "warning",
    expr: `max without (uid, reason) (${k("kube_pod_container_status_last_terminated_reason", 'reason="OOMKilled"')}) == 1\nand on (namespace, pod, container)\nincrease(${k("kube_pod_container_status_restarts_total")}[15m]) > 0`,
    annotations: {
      summary: `Container {{ $labels.container }} of pod ${POD} was OOM-killed`,
      description: `Container {{ $labels.container }} of pod ${POD} restarted within the last 15 minutes after exceeding its memory limit (OOMKilled): raise the limit or find the leak.`,
      dashboard: pods,
    },
  });
  // "Not at spec" only while no rollout is moving: a rolling update is short of replicas on purpose.
  const mismatch = (alert: string, kind: string, want: string, have: string, updated: string, what: string): AlertRule =>
    b.alert({
      alert,
      severity: "warning",
      for: "15m",
      expr: `${k(want)}\n>\n${k(have)}\nand\nchanges(${k(updated)}[10m]) == 0`,
      annotations: {
        summary: `${kind} {{ $labels.namespace }}/{{ $labels.${kind.toLowerCase()} }} has fewer ${what} than it specifies`,
        description: `${kind} {{ $labels.namespace }}/{{ $labels.${kind.toLowerCase()} }} wants {{ $value }} ${what} and has had fewer for 15 minutes with no rollout in progress: pods fail to start or to become ready, or the cluster has no room for them.`,
        dashboard: pods,
      },
    });
  const deployment = mismatch("KubeDeploymentReplicasMismatch", "Deployment", "kube_deployment_spec_replicas", "kube_deployment_status_replicas_available", "kube_deployment_status_replicas_updated", "available replicas");
  const statefulSet = mismatch("KubeStatefulSetReplicasMismatch", "StatefulSet", "kube_statefulset_replicas", "kube_statefulset_status_replicas_ready", "kube_statefulset_status_replicas_updated", "ready replicas");
  const daemonSet = mismatch("KubeDaemonSetPodsUnavailable", "DaemonSet", "kube_daemonset_status_desired_number_scheduled", "kube_daemonset_status_number_available", "kube_daemonset_status_updated_number_scheduled", "available pods");
  const free = `${v("kubelet_volume_stats_available_bytes")}\n/\n${v("kubelet_volume_stats_capacity_bytes")}`;
  const volume = "{{ $labels.namespace }}/{{ $labels.persistentvolumeclaim }}";
  const filling = b.alert({
    alert: "KubePersistentVolumeFillingUp",
    severity: "warning",
    for: "1h",
    threshold: c.volumeFreeWarning,
    expr: (t) => `${free}\n< ${t}\nand\npredict_linear(${v("kubelet_volume_stats_available_bytes")}[6h], ${c.volumeFillPredictHours} * 3600) < 0`,
    annotations: (t) => ({
      summary: `Volume ${volume} will be full within ${c.volumeFillPredictHours} hours`,
      description: `Volume claim ${volume} on node {{ $labels.instance }} has less than ${pct(t)} free and, at the last 6 hours' rate, fills within ${c.volumeFillPredictHours} hours: resize the claim or delete data.`,
    }),
  });
  const full = b.alert({
    alert: "KubePersistentVolumeAlmostFull",
    severity: "critical",
    for: "1m",
    threshold: c.volumeFreeCritical,
    expr: (t) => `${free}\n< ${t}`,
    annotations: (t) => ({
      summary: `Volume ${volume} has only {{ $value | humanizePercentage }} free`,
      description: `Volume claim ${volume} on node {{ $labels.instance }} has {{ $value | humanizePercentage }} free (critical under ${pct(t)}): its pod stops writing when it is full.`,
    }),
  });
  const node = b.alert({
    alert: "KubeNodeNotReady",
    severity: "warning",
    for: "15m",
    expr: `max without (condition, status) (${k("kube_node_status_condition", 'condition="Ready",status="true"')}) == 0`,
    annotations: {
      summary: "Node {{ $labels.node }} is not ready",
      description: "Node {{ $labels.node }} has not been Ready for 15 minutes: its kubelet stopped reporting or the node is under memory, disk or PID pressure; its pods are evicted after the toleration period.",
      dashboard: b.dashboard("host"),
    },
  });
  const rules = [crashLooping, notReady, oom, deployment, statefulSet, daemonSet, filling, full, node];
  return { name: "kubernetes", groups: [{ name: "kubernetes", rules }], tests: kubernetesTests(c, { crashLooping, notReady, oom, deployment, statefulSet, daemonSet, filling, full, node }) };
}

type Rules = Readonly<Record<"crashLooping" | "notReady" | "oom" | "deployment" | "statefulSet" | "daemonSet" | "filling" | "full" | "node", AlertRule>>;

function kubernetesTests(c: PackContext["content"]["kubernetes"], r: Rules): RuleTest[] {
  const ksm = { job: "kube-state-metrics", instance: "kube-state-metrics:8080", ...labelsFor(c.stateSelector) };
  const kubelet = { job: "kubelet", instance: "node-1", ...labelsFor(c.kubeletSelector) };
  const n = Math.max(...Object.values(r).map((x) => stepsFor(x)));
  const flat = (value: number) => gauge([value, n]);
  const pod = { ...ksm, namespace: "shop", pod: "api-7d9f8c-x2v4q" };
  const ctr = { ...pod, container: "api" };
  const uid = { uid: "0b6f3f5e-4a1d-4c1e-9d59-7f1b2a3c4d5e" };
  const job = { ...ksm, namespace: "shop", pod: "migrate-29kq8" };
  const app = (kind: string, name: string) => ({ ...ksm, namespace: "shop", [kind]: name });
  const gib = 1024 ** 3;
  const cap = 100 * gib;
  const pvc = { ...kubelet, namespace: "shop", persistentvolumeclaim: "data-postgres-0" };
  const [wt, ct] = [r.filling.threshold ?? 0.15, r.full.threshold ?? 0.03];
  // A volume at 80% of the warning's free share, emptying in half the prediction horizon.
  const start = cap * wt * 0.8;
  const perMinute = Math.round(start / ((c.volumeFillPredictHours * 60) / 2));
  const cluster = (broken: boolean): RuleTest["series"] => [
    series("kube_pod_container_status_waiting_reason", { ...ctr, ...uid, reason: "CrashLoopBackOff" }, flat(broken ? 1 : 0)),
    series("kube_pod_status_ready", { ...pod, ...uid, condition: "false" }, flat(broken ? 1 : 0)),
    series("kube_pod_status_phase", { ...pod, ...uid, phase: "Succeeded" }, flat(0)),
    series("kube_pod_owner", { ...pod, ...uid, owner_kind: "ReplicaSet", owner_name: "api-7d9f8c", owner_is_controller: "true" }, flat(1)),
    // A finished Job pod is not ready and must not count as such.
    series("kube_pod_status_ready", { ...job, uid: "job-uid", condition: "false" }, flat(1)),
    series("kube_pod_status_phase", { ...job, uid: "job-uid", phase: "Succeeded" }, flat(1)),
    series("kube_pod_owner", { ...job, uid: "job-uid", owner_kind: "Job", owner_name: "migrate", owner_is_controller: "true" }, flat(1)),
    // The last termination was an OOM kill either way; only a restart within 15 minutes makes it news.
    series("kube_pod_container_status_last_terminated_reason", { ...ctr, ...uid, reason: "OOMKilled" }, flat(1)),
    series("kube_pod_container_status_restarts_total", { ...ctr, ...uid }, broken ? `3x${n - 6} 4x5` : flat(3)),
    series("kube_deployment_spec_replicas", app("deployment", "api"), flat(3)),
    series("kube_deployment_status_replicas_available", app("deployment", "api"), flat(broken ? 1 : 3)),
    series("kube_deployment_status_replicas_updated", app("deployment", "api"), flat(3)),
    // A Deployment mid-rollout is short of replicas on purpose.
    series("kube_deployment_spec_replicas", app("deployment", "worker"), flat(3)),
    series("kube_deployment_status_replicas_available", app("deployment", "worker"), flat(2)),
    series("kube_deployment_status_replicas_updated", app("deployment", "worker"), counter([1 / 60, n])),
    series("kube_statefulset_replicas", app("statefulset", "postgres"), flat(3)),
    series("kube_statefulset_status_replicas_ready", app("statefulset", "postgres"), flat(broken ? 2 : 3)),
    series("kube_statefulset_status_replicas_updated", app("statefulset", "postgres"), flat(3)),
    series("kube_daemonset_status_desired_number_scheduled", app("daemonset", "node-exporter"), flat(3)),
    series("kube_daemonset_status_number_available", app("daemonset", "node-exporter"), flat(broken ? 2 : 3)),
    series("kube_daemonset_status_updated_number_scheduled", app("daemonset", "node-exporter"), flat(3)),
    series("kubelet_volume_stats_capacity_bytes", pvc, flat(cap)),
    series("kubelet_volume_stats_available_bytes", pvc, broken ? `${start}-${perMinute}x${n}` : flat(cap / 2)),
    series("kube_node_status_condition", { ...ksm, node: "node-1", condition: "Ready", status: "true" }, flat(broken ? 0 : 1)),
  ];
  const low = { ...pvc, persistentvolumeclaim: "data-redis-0" };
  const lowFree = ct / 2;
  const checks = (broken: boolean) => [
    { rule: r.crashLooping, labels: ctr },
    { rule: r.notReady, labels: pod },
    { rule: r.oom, labels: ctr },
    { rule: r.deployment, labels: app("deployment", "api"), value: 3 },
    { rule: r.statefulSet, labels: app("statefulset", "postgres"), value: 3 },
    { rule: r.daemonSet, labels: app("daemonset", "node-exporter"), value: 3 },
    { rule: r.filling, labels: pvc },
    { rule: r.node, labels: { ...ksm, node: "node-1" } },
    // The OOM check has no `for`: evaluate after the late restart, not at firingAt.
  ].map(({ rule, labels, value }) => ({
    evalTime: rule === r.oom ? `${n - 1}m` : firingAt(rule),
    // When the broken cluster's condition starts to hold (the pending window is checked from there): gauges from the
    // first sample, predict_linear() from the second; the OOM alert has no `for`.
    ...(broken && rule !== r.oom ? { activeSince: rule === r.filling ? HOLDS_FROM_SECOND_SAMPLE : HOLDS_FROM_START } : {}),
    alert: rule.alert,
    expect: broken ? [{ labels, ...(value !== undefined ? { value } : {}) }] : [],
  }));
  return [
    {
      name: "a healthy cluster, a finished Job, an old OOM kill and a rollout in progress raise nothing",
      series: cluster(false),
      alerts: [...checks(false), { evalTime: firingAt(r.full), alert: r.full.alert, expect: [] }],
    },
    {
      name: "a crash-looping, OOM-killed, not-ready pod, workloads short of their spec, a filling volume and a lost node raise each",
      series: cluster(true),
      alerts: checks(true),
    },
    {
      name: "a volume under the critical free share pages, and a low but stable one is not predicted to fill",
      series: [
        series("kubelet_volume_stats_capacity_bytes", low, gauge([cap, n])),
        series("kubelet_volume_stats_available_bytes", low, gauge([cap * lowFree, n])),
      ],
      alerts: [
        { evalTime: firingAt(r.full), activeSince: HOLDS_FROM_START, alert: r.full.alert, expect: [{ labels: low, value: lowFree }] },
        { evalTime: firingAt(r.filling), alert: r.filling.alert, expect: [] },
      ],
    },
  ];
}
