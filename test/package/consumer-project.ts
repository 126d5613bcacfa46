/**
 * A small infra repository that uses moncode the way its users would: a strict TypeScript Pulumi program that
 * overrides shipped alerts, adds its own rule pack, picks a routing preset and creates MonitoringStack; plus the
 * harness that runs it under Pulumi's mock runtime and prints what it registered. Kept as text: these files are
 * type-checked against the packed tarball inside the consumer project, not against this repository's sources.
 */

export const CONSUMER_NAME = "consumer-infra";

export function consumerPackageJson(tarball: string): string {
  return `${JSON.stringify(
    {
      name: CONSUMER_NAME,
      version: "1.0.0",
      private: true,
      type: "commonjs",
      main: "dist/index.js",
      dependencies: { moncode: `file:${tarball}`, "@pulumi/pulumi": "3.270.0", "@pulumi/docker": "5.2.0", "@pulumi/kubernetes": "4.34.2", "@pulumi/random": "4.21.2" },
      devDependencies: { typescript: "6.0.3", "@types/node": "20.19.43" },
    },
    null,
    2,
  )}\n`;
}

// What Pulumi's TypeScript template sets, plus what STYLE.md asks of any repo: strict, noUncheckedIndexedAccess.
// node16 resolution: the Grafana SDK types moncode's dashboard API uses live behind sub-path exports.
export const CONSUMER_TSCONFIG = `${JSON.stringify(
  {
    compilerOptions: {
      target: "ES2022",
      module: "node16",
      moduleResolution: "node16",
      lib: ["ES2023"],
      types: ["node"],
      strict: true,
      noUncheckedIndexedAccess: true,
      esModuleInterop: true,
      skipLibCheck: true,
      rootDir: ".",
      outDir: "dist",
    },
    include: ["index.ts", "mocks.ts", "run-task.ts", "tasks/*.ts"],
  },
  null,
  2,
)}\n`;

/** The consumer's Pulumi program (its `index.ts`): declares resources when imported, like any Pulumi entry. */
export const CONSUMER_PROGRAM = `import * as pulumi from "@pulumi/pulumi";
import { MonitoringStack, dashboards, resolveContentConfig, routing, rulePacks, type rules } from "moncode";

const config = new pulumi.Config();
const environment = config.get("environment") ?? "staging";

// The shop's API is scraped as job "checkout": shipped HTTP alerts and dashboards follow the selector.
const content = resolveContentConfig({ http: { selector: 'job="checkout"' } });

const shipped = rulePacks.buildRulePacks({
  content,
  packs: { redis: false },
  overrides: {
    // Off by default while the api-errors SLO is on; this consumer keeps it as well.
    HttpErrorRateHigh: { disabled: false, threshold: 0.02, for: "10m", labels: { team: "payments" } },
    HttpLatencyCritical: { disabled: true },
  },
});

const payments: rules.RulePack = {
  name: "payments",
  groups: [
    {
      name: "payments",
      rules: [
        {
          alert: "PaymentsFailing",
          expr: 'sum(rate(payments_failed_total{job="checkout"}[5m])) > 1',
          for: "5m",
          severity: "critical",
          labels: { team: "payments" },
          annotations: {
            summary: "Payments fail at {{ $value | humanize }}/s",
            description: "The payment provider rejects more than one payment a second.",
            runbookUrl: "https://runbooks.example.com/payments#failing",
          },
        },
      ],
    },
  ],
  tests: [],
};

const packs = [...shipped, payments];
const severities = rulePacks.severitiesUsed(packs);
const preset = routing.severityRouting({
  environment: "prod",
  smtp: { smarthost: "smtp.example.com:587", from: "alertmanager@shop.example.com" },
  email: { to: "ops@shop.example.com", critical: "oncall@shop.example.com" },
  components: { payments: {} },
  severities,
});

export const stack = new MonitoringStack("shop", {
  platform: { kind: "docker", namePrefix: \`shop-\${environment}\` },
  exporters: { nodeExporter: true, cadvisor: false, pushgateway: false },
  alerting: { config: preset.config, tests: preset.tests, severities, environment: "prod" },
  prometheus: {
    scrapeJobs: [{ name: "checkout", staticConfigs: [{ targets: ["checkout:8080"], labels: { component: "payments" } }] }],
    rulePacks: packs,
    storage: { retentionTime: "7d", retentionSize: "5GB" },
  },
  grafana: {
    dashboards: dashboards.buildDashboards({ content }),
    recordingRules: packs.flatMap((p) => p.groups.flatMap((g) => g.rules.flatMap((r) => ("record" in r ? [r.record] : [])))),
    adminPassword: pulumi.secret("consumer-admin-password"),
    secretKey: pulumi.secret("consumer-secret-key"),
  },
});

export const prometheusAddress: string = stack.prometheus.address;
export const dashboardUids: pulumi.Output<string[]> = stack.grafana.dashboardUids;
export const renderedFiles: string[] = stack.files.map((f) => f.path);
`;

/**
 * \`node dist/mocks.js import|program\`: sets Pulumi mocks, then either only imports moncode or imports the program,
 * waits for every registration and prints one JSON line with the resources the mocks saw.
 */
export const CONSUMER_MOCKS = `import * as pulumi from "@pulumi/pulumi";

interface Recorded {
  type: string;
  name: string;
  parent: string | undefined;
  inputs: Record<string, unknown>;
}

async function main(mode: string): Promise<void> {
  const recorded = new Map<string, Recorded>();
  const parents = new Map<string, string | undefined>();
  await pulumi.runtime.setMocks(
    {
      newResource: (args) => {
        recorded.set(\`\${args.type}::\${args.name}\`, { type: args.type, name: args.name, parent: undefined, inputs: args.inputs as Record<string, unknown> });
        return { id: \`\${args.name}-id\`, state: { ...(args.inputs as object), name: (args.inputs as { name?: string }).name ?? args.name } };
      },
      call: (args) => args.inputs,
    },
    "${CONSUMER_NAME}",
    "staging",
    false,
  );
  let outputs: Record<string, unknown> = {};
  await pulumi.runtime.runInPulumiStack(async () => {
    pulumi.runtime.registerStackTransformation((args) => {
      const parent = args.opts.parent as (pulumi.Resource & { __name?: string }) | undefined;
      parents.set(\`\${args.type}::\${args.name}\`, parent?.__name);
      return undefined;
    });
    if (mode === "import") {
      const lib = await import("moncode");
      outputs = { exports: Object.keys(lib).sort() };
    } else {
      const program = await import("./index.js");
      const uids = await new Promise<string[]>((resolve) => program.dashboardUids.apply(resolve));
      outputs = { prometheusAddress: program.prometheusAddress, dashboardUids: uids, renderedFiles: program.renderedFiles };
    }
    return {};
  });
  await pulumi.runtime.disconnect();
  const resources = [...recorded.entries()].map(([key, r]) => ({ ...r, parent: parents.get(key) }));
  process.stdout.write(\`CONSUMER_RESULT \${JSON.stringify({ outputs, resources })}\\n\`);
}

main(process.argv[2] ?? "program").catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
`;

/**
 * \`node dist/run-task.js <compiled task> <config keys…>\`: runs one README task through \`moncode/testing\` (the
 * package's own offline runner, as a user would) with each key set as a config secret, and prints one JSON line.
 */
export const CONSUMER_RUN_TASK = `import { runOffline } from "moncode/testing";

async function main(): Promise<void> {
  const [file, ...keys] = process.argv.slice(2);
  const run = await runOffline(() => import(file!), {
    project: "${CONSUMER_NAME}",
    stack: "prod",
    config: Object.fromEntries(keys.map((k) => [\`${CONSUMER_NAME}:\${k}\`, \`task-secret-\${k}\`])),
    secretKeys: keys.map((k) => \`${CONSUMER_NAME}:\${k}\`),
  });
  const out = {
    error: run.error === undefined ? null : String((run.error as Error).message ?? run.error),
    resources: run.resources.map((r) => ({ type: r.type, name: r.name, inputs: r.inputs })),
    files: run.files.map((f) => ({ path: f.path, content: f.content })),
    warnings: run.warnings.map((w) => \`\${w.item}: \${w.field} \${w.message}\`),
  };
  process.stdout.write(\`TASK_RESULT \${JSON.stringify(out)}\\n\`);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
`;
