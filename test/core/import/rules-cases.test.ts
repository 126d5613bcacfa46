/**
 * The rule importer inside the tests (import.test.ts imports in a hook, which per-test mutation coverage does not
 * see): a rule file with every group and rule field gives whole packs, with the line of every item and the severity
 * label and runbook_url lifted into fields; a List of PrometheusRules gives one pack per resource; plain files of
 * one name are told apart by folder; the generated module is asserted whole; bad input is refused at its line.
 */
import { describe, expect, it } from "vitest";
import { formatLocated, importContent, type ImportInput } from "../../../core/import";

const read = (inputs: ImportInput[]) => {
  const r = importContent(inputs, { from: "moncode" });
  return { packs: r.packs.map((p) => ({ name: p.pack.name, file: p.file, groups: p.pack.groups, lines: [...p.lines] })), issues: r.issues.map(formatLocated), modules: r.modules.map((m) => m.path) };
};

const FILE = "groups:\n  - name: api-slo\n    interval: 30s\n    limit: 10\n    query_offset: 1m\n    labels: { team: api }\n    rules:\n      - record: job:req:rate5m\n        expr: sum by (job) (rate(req_total[5m]))\n        labels: { source: api }\n      - alert: ApiDown\n        expr: up{job=\"api\"} == 0\n        for: 5m\n        keep_firing_for: 10m\n        labels: { severity: critical, page: \"yes\" }\n        annotations: { summary: \"API down\", runbook_url: \"https://r/api\" }\n      - alert: ApiSlow\n        expr: job:req:rate5m > 1\n        labels: { severity: warning }\n        annotations: { summary: \"slow\" }\n      - alert: ApiSlow\n        expr: job:req:rate5m > 5\n        labels: { severity: critical }\n        annotations: { summary: \"very slow\" }\n";
const LIST = "apiVersion: v1\nkind: List\nitems:\n  - apiVersion: monitoring.coreos.com/v1\n    kind: PrometheusRule\n    metadata: { name: a-rules }\n    spec: { groups: [{ name: a, rules: [{ alert: A, expr: vector(1), labels: { severity: info }, annotations: { summary: s } }] }] }\n  - { kind: ConfigMap, metadata: { name: x } }\n  - apiVersion: monitoring.coreos.com/v1\n    kind: PrometheusRule\n    metadata: { name: b-rules }\n    spec: { groups: [{ name: b, rules: [{ record: \"b:x:sum\", expr: sum(x) }] }] }\n";

describe("rule sources, read whole", () => {
  it("a rule file with every group and rule field; an alert at two severities is named with its severity", () => {
    expect(read([{ path: "rules/api.yml", text: FILE }])).toEqual({
  "packs": [
    {
      "name": "api",
      "file": "rules/api.yml",
      "groups": [
        {
          "name": "api-slo",
          "interval": "30s",
          "limit": 10,
          "queryOffset": "1m",
          "labels": {
            "team": "api"
          },
          "rules": [
            {
              "record": "job:req:rate5m",
              "expr": "sum by (job) (rate(req_total[5m]))",
              "labels": {
                "source": "api"
              }
            },
            {
              "alert": "ApiDown",
              "expr": "up{job=\"api\"} == 0",
              "for": "5m",
              "keepFiringFor": "10m",
              "severity": "critical",
              "labels": {
                "page": "yes"
              },
              "annotations": {
                "summary": "API down",
                "runbookUrl": "https://r/api"
              }
            },
            {
              "alert": "ApiSlow",
              "expr": "job:req:rate5m > 1",
              "severity": "warning",
              "annotations": {
                "summary": "slow"
              }
            },
            {
              "alert": "ApiSlow",
              "expr": "job:req:rate5m > 5",
              "severity": "critical",
              "annotations": {
                "summary": "very slow"
              }
            }
          ]
        }
      ],
      "lines": [
        [
          "rule group \"api-slo\"",
          2
        ],
        [
          "rule group \"api-slo\" > recording rule \"job:req:rate5m\"",
          8
        ],
        [
          "rule group \"api-slo\" > alert \"ApiDown\"",
          11
        ],
        [
          "rule group \"api-slo\" > alert \"ApiSlow\" (severity \"warning\")",
          17
        ],
        [
          "rule group \"api-slo\" > alert \"ApiSlow\" (severity \"critical\")",
          21
        ]
      ]
    }
  ],
  "issues": [
    "rules/api.yml:11: warning: rule group \"api-slo\" > alert \"ApiDown\": annotations.description is not set [rules/annotations-summary-description]",
    "rules/api.yml:17: warning: rule group \"api-slo\" > alert \"ApiSlow\" (severity \"warning\"): annotations.description is not set [rules/annotations-summary-description]",
    "rules/api.yml:21: warning: rule group \"api-slo\" > alert \"ApiSlow\" (severity \"critical\"): annotations.description is not set [rules/annotations-summary-description]"
  ],
  "modules": [
    "rules/api.ts"
  ]
});
  });
  it("a List of PrometheusRules: one pack per resource, other items skipped", () => {
    expect(read([{ path: "k8s/list.yaml", text: LIST }])).toEqual({
  "packs": [
    {
      "name": "a-rules",
      "file": "k8s/list.yaml",
      "groups": [
        {
          "name": "a",
          "rules": [
            {
              "alert": "A",
              "expr": "vector(1)",
              "severity": "info",
              "annotations": {
                "summary": "s"
              }
            }
          ]
        }
      ],
      "lines": [
        [
          "rule group \"a\"",
          7
        ],
        [
          "rule group \"a\" > alert \"A\"",
          7
        ]
      ]
    },
    {
      "name": "b-rules",
      "file": "k8s/list.yaml",
      "groups": [
        {
          "name": "b",
          "rules": [
            {
              "record": "b:x:sum",
              "expr": "sum(x)"
            }
          ]
        }
      ],
      "lines": [
        [
          "rule group \"b\"",
          12
        ],
        [
          "rule group \"b\" > recording rule \"b:x:sum\"",
          12
        ]
      ]
    }
  ],
  "issues": [
    "k8s/list.yaml:7: warning: rule group \"a\" > alert \"A\": annotations.description is not set [rules/annotations-summary-description]"
  ],
  "modules": [
    "rules/list.ts"
  ]
});
  });
  it("plain files of one name: the first keeps it, the next take their folder's", () => {
    expect(read([
      { path: "a/rules.yml", text: "groups: [{ name: g1, rules: [{ record: 'a:b:c', expr: x }] }]\n" },
      { path: "b/rules.yml", text: "groups: [{ name: g2, rules: [{ record: 'a:b:d', expr: y }] }]\n" },
      { path: "c/b-rules.yml", text: "groups: [{ name: g3, rules: [{ record: 'a:b:e', expr: z }] }]\n" },
    ])).toEqual({
  "packs": [
    {
      "name": "rules",
      "file": "a/rules.yml",
      "groups": [
        {
          "name": "g1",
          "rules": [
            {
              "record": "a:b:c",
              "expr": "x"
            }
          ]
        }
      ],
      "lines": [
        [
          "rule group \"g1\"",
          1
        ],
        [
          "rule group \"g1\" > recording rule \"a:b:c\"",
          1
        ]
      ]
    },
    {
      "name": "b-rules",
      "file": "b/rules.yml",
      "groups": [
        {
          "name": "g2",
          "rules": [
            {
              "record": "a:b:d",
              "expr": "y"
            }
          ]
        }
      ],
      "lines": [
        [
          "rule group \"g2\"",
          1
        ],
        [
          "rule group \"g2\" > recording rule \"a:b:d\"",
          1
        ]
      ]
    },
    {
      "name": "c-b-rules",
      "file": "c/b-rules.yml",
      "groups": [
        {
          "name": "g3",
          "rules": [
            {
              "record": "a:b:e",
              "expr": "z"
            }
          ]
        }
      ],
      "lines": [
        [
          "rule group \"g3\"",
          1
        ],
        [
          "rule group \"g3\" > recording rule \"a:b:e\"",
          1
        ]
      ]
    }
  ],
  "issues": [],
  "modules": [
    "rules/a/rules.ts",
    "rules/b/rules.ts",
    "rules/c/b-rules.ts"
  ]
});
  });
  it("the generated module, whole", () => {
    const r = importContent([{ path: "rules/api.yml", text: "groups:\n  - name: api\n    rules:\n      - record: job:req:rate5m\n        expr: sum by (job) (rate(req_total[5m]))\n      - alert: ApiDown\n        expr: up == 0\n        for: 5m\n        labels: { severity: critical }\n        annotations: { summary: down, description: d, runbook_url: https://r }\n" }], { from: "moncode" });
    expect(r.modules.map((m) => [m.path, m.source])).toEqual([["rules/api.ts", "rules/api.yml"]]);
    expect(r.modules[0]!.content).toBe("/**\n * Imported by `moncode import` from rules/api.yml.\n * Edit freely: this module is now the source of truth for this content.\n * Add promtool unit tests to each pack's `tests` (every alert firing and not firing) when you adopt it.\n */\nimport type { rules } from \"moncode\";\n\nexport const api: rules.RulePack = {\n  name: \"api\",\n  groups: [\n    {\n      name: \"api\",\n      rules: [\n        { record: \"job:req:rate5m\", expr: \"sum by (job) (rate(req_total[5m]))\" },\n        {\n          alert: \"ApiDown\",\n          expr: \"up == 0\",\n          for: \"5m\",\n          severity: \"critical\",\n          annotations: { summary: \"down\", description: \"d\", runbookUrl: \"https://r\" },\n        },\n      ],\n    },\n  ],\n  tests: [],\n};\n\n/** Every pack of rules/api.yml, for PrometheusStack's `rulePacks`. */\nexport const packs: rules.RulePack[] = [api];\n");
  });
});

const bad: [name: string, text: string, issues: string[]][] = [
  ["groups not a list", "groups: { a: 1 }\n", ["r.yml:1: document 1 is not a rule file, PrometheusRule, prometheus.yml, alertmanager.yml, dashboard or ConfigMap of dashboards [rules/invalid]"]],
  ["unknown file key", "groups: []\nnamespace: x\n", ["r.yml:2: rule file: namespace is not a field of a rule file [rules/invalid]", "r.yml:1: warning: rule pack \"r\": groups has no rule groups [rules/group-empty]"]],
  ["group not a mapping", "groups: [x]\n", ["r.yml:1: groups[0] is not a rule group [rules/invalid]", "r.yml:1: warning: rule pack \"r\": groups has no rule groups [rules/group-empty]"]],
  ["unknown group key", "groups: [{ name: g, partial_response_strategy: warn, rules: [] }]\n", ["r.yml:1: rule group \"g\": partial_response_strategy is not a field of a Prometheus rule group (Prometheus refuses unknown fields) [rules/invalid]", "r.yml:1: warning: rule group \"g\": rules has no rules [rules/group-empty]"]],
  ["rule not a mapping", "groups: [{ name: g, rules: [x] }]\n", ["r.yml:1: rule group \"g\": rules[0] is not a rule [rules/invalid]", "r.yml:1: warning: rule group \"g\": rules has no rules [rules/group-empty]"]],
  ["rule with neither", "groups: [{ name: g, rules: [{ expr: x }] }]\n", ["r.yml:1: rule group \"g\": rules has a rule with neither alert nor record [rules/invalid]", "r.yml:1: warning: rule group \"g\": rules has no rules [rules/group-empty]"]],
  ["rule without expr", "groups: [{ name: g, rules: [{ alert: A, labels: { severity: info }, annotations: { summary: s } }] }]\n", ["r.yml:1: rule group \"g\" > alert \"A\": expr is missing or not a string [rules/invalid]", "r.yml:1: rule group \"g\" > alert \"A\": expr is empty [rules/invalid]", "r.yml:1: warning: rule group \"g\" > alert \"A\": annotations.description is not set [rules/annotations-summary-description]"]],
  ["expr not a string", "groups: [{ name: g, rules: [{ record: 'a:b:c', expr: [x] }] }]\n", ["r.yml:1: rule group \"g\" > recording rule \"a:b:c\": expr is missing or not a string [rules/invalid]", "r.yml:1: rule group \"g\" > recording rule \"a:b:c\": expr is empty [rules/invalid]"]],
  ["spec groups not a list", "kind: PrometheusRule\nmetadata: { name: x }\nspec: { groups: { a: 1 } }\n", ["r.yml:3: rule file: groups must be a list of rule groups [rules/invalid]", "r.yml:1: warning: rule pack \"x\": groups has no rule groups [rules/group-empty]"]],
  ["a label that is a list, annotations that are no mapping (Prometheus refuses both; nothing is dropped unsaid)", "groups:\n  - name: g\n    rules:\n      - record: 'a:b:c'\n        expr: up\n        labels: { team: [a, b] }\n      - alert: A\n        expr: up == 0\n        labels: { severity: info }\n        annotations: [summary]\n",
    ["r.yml:6: rule group \"g\" > recording rule \"a:b:c\": labels.team must be a string, not a list [rules/invalid]", "r.yml:10: rule group \"g\" > alert \"A\": annotations must be a mapping of names to strings [rules/invalid]", "r.yml:7: warning: rule group \"g\" > alert \"A\": annotations.summary is not set [rules/annotations-summary-description]", "r.yml:7: warning: rule group \"g\" > alert \"A\": annotations.description is not set [rules/annotations-summary-description]"]],
];

describe("bad rule input, at the file and line, writing no module", () => {
  it.each(bad)("%s", (_name, text, issues) => {
    const r = importContent([{ path: "r.yml", text }], { from: "moncode" });
    expect(r.issues.map(formatLocated)).toEqual(issues);
    expect(r.modules).toEqual([]);
  });
});
