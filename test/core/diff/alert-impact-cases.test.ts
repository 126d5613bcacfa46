/**
 * Alert impact without running promtool: the probe plan for changed alerts (cases from both sides' unit tests, one
 * evaluated once, grouped by evaluation interval, an alert at two severities told apart), the probe files' text, and
 * the firing read back from promtool's real output (captured from promtool 3.x on these probe files) into what
 * changed, case by case; a side whose rules do not load makes every alert "not evaluated" with promtool's words.
 */
import { describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { alertImpactFrom, parsePromtoolFirings, planAlertImpact, probeFileText } from "../../../core/diff/alert-impact";
const rules = (thr: number, forA: string) => stringify({ groups: [{ name: "g", rules: [
  { alert: "High", expr: `x > ${thr}`, for: forA, labels: { severity: "warning" } },
  { alert: "Dup", expr: `y > ${thr}`, labels: { severity: "warning" } },
  { alert: "Dup", expr: `y > ${thr * 10}`, labels: { severity: "critical" } },
  { alert: "Same", expr: "z > 1", labels: { severity: "info" } },
  { alert: "Untested", expr: `w > ${thr}`, labels: { severity: "info" } },
] }] });
const tests = (extra: boolean) => stringify({ rule_files: ["../rules/r.yml"], evaluation_interval: "1m", tests: [
  { name: "high fires", interval: "1m", input_series: [{ series: 'x{job="a"}', values: "5x10" }, { series: 'x{job="b"}', values: "2x10" }], alert_rule_test: [{ eval_time: "5m", alertname: "High", exp_alerts: [] }, { eval_time: "2m", alertname: "High" }, { eval_time: "5m", alertname: "High" }] },
  { name: "dup", interval: "1m", input_series: [{ series: 'y{job="a"}', values: "15x10" }], alert_rule_test: [{ eval_time: "1m", alertname: "Dup" }], external_labels: { cluster: "c1" } },
  ...(extra ? [{ name: "same", input_series: [{ series: "z", values: "2x5" }], alert_rule_test: [{ eval_time: "1m", alertname: "Same" }] }] : []),
] });
const testsB30 = stringify({ rule_files: ["../rules/r.yml"], evaluation_interval: "30s", tests: [{ name: "high fast", interval: "30s", input_series: [{ series: 'x{job="c"}', values: "9x20" }], alert_rule_test: [{ eval_time: "3m", alertname: "High" }] }] });
const A = new Map([["prometheus/rules/r.yml", rules(3, "1m")], ["prometheus/tests/r.test.yml", tests(false)]]);
const B = new Map([["prometheus/rules/r.yml", rules(1, "1m")], ["prometheus/tests/r.test.yml", tests(true)], ["prometheus/tests/fast.test.yml", testsB30], ["prometheus/tests/notes.txt", "x"]]);

/** promtool test rules on each probe file, with the base rules and with the head rules (exit 1: something fired). */
const BASE_RUNS = [
  {
    "ok": false,
    "output": "Processing test file: p0.yml\n\n\n\n\n\n  FAILED:\n    name: p0,\n    alertname: High, time: 2m, \n        exp:[], \n        got:[\n            0:\n              Labels:{alertname=\"High\", job=\"a\", severity=\"warning\"}\n              Annotations:{}\n            ]\n    name: p0,\n    alertname: High, time: 5m, \n        exp:[], \n        got:[\n            0:\n              Labels:{alertname=\"High\", job=\"a\", severity=\"warning\"}\n              Annotations:{}\n            ]\n    name: p2,\n    alertname: Dup, time: 1m, \n        exp:[], \n        got:[\n            0:\n              Labels:{alertname=\"Dup\", job=\"a\", severity=\"warning\"}\n              Annotations:{}\n            ]\n    name: p3,\n    alertname: Dup, time: 1m, \n        exp:[], \n        got:[\n            0:\n              Labels:{alertname=\"Dup\", job=\"a\", severity=\"warning\"}\n              Annotations:{}\n            ]\n"
  },
  {
    "ok": false,
    "output": "Processing test file: p1.yml\n\n\n  FAILED:\n    name: p1,\n    alertname: High, time: 3m, \n        exp:[], \n        got:[\n            0:\n              Labels:{alertname=\"High\", job=\"c\", severity=\"warning\"}\n              Annotations:{}\n            ]\n"
  }
];
const HEAD_RUNS = [
  {
    "ok": false,
    "output": "Processing test file: p0.yml\n\n\n\n\n\n  FAILED:\n    name: p0,\n    alertname: High, time: 2m, \n        exp:[], \n        got:[\n            0:\n              Labels:{alertname=\"High\", job=\"a\", severity=\"warning\"}\n              Annotations:{},\n            1:\n              Labels:{alertname=\"High\", job=\"b\", severity=\"warning\"}\n              Annotations:{}\n            ]\n    name: p0,\n    alertname: High, time: 5m, \n        exp:[], \n        got:[\n            0:\n              Labels:{alertname=\"High\", job=\"a\", severity=\"warning\"}\n              Annotations:{},\n            1:\n              Labels:{alertname=\"High\", job=\"b\", severity=\"warning\"}\n              Annotations:{}\n            ]\n    name: p2,\n    alertname: Dup, time: 1m, \n        exp:[], \n        got:[\n            0:\n              Labels:{alertname=\"Dup\", job=\"a\", severity=\"critical\"}\n              Annotations:{},\n            1:\n              Labels:{alertname=\"Dup\", job=\"a\", severity=\"warning\"}\n              Annotations:{}\n            ]\n    name: p3,\n    alertname: Dup, time: 1m, \n        exp:[], \n        got:[\n            0:\n              Labels:{alertname=\"Dup\", job=\"a\", severity=\"critical\"}\n              Annotations:{},\n            1:\n              Labels:{alertname=\"Dup\", job=\"a\", severity=\"warning\"}\n              Annotations:{}\n            ]\n"
  },
  {
    "ok": false,
    "output": "Processing test file: p1.yml\n\n\n  FAILED:\n    name: p1,\n    alertname: High, time: 3m, \n        exp:[], \n        got:[\n            0:\n              Labels:{alertname=\"High\", job=\"c\", severity=\"warning\"}\n              Annotations:{}\n            ]\n"
  }
];

describe("planAlertImpact", () => {
  it("plans every changed alert's cases, once each, in one probe file per evaluation interval", () => {
    expect(planAlertImpact(A, B)).toEqual({
  "alerts": [
    {
      "id": "g / High",
      "cases": [
        {
          "group": "p0",
          "alert": "g / High",
          "alertname": "High",
          "test": "high fires",
          "evalTimes": [
            "2m",
            "5m"
          ]
        },
        {
          "group": "p1",
          "alert": "g / High",
          "alertname": "High",
          "test": "high fast",
          "evalTimes": [
            "3m"
          ]
        }
      ]
    },
    {
      "id": "g / Dup (severity=warning)",
      "cases": [
        {
          "group": "p2",
          "alert": "g / Dup (severity=warning)",
          "alertname": "Dup",
          "severity": "warning",
          "test": "dup",
          "evalTimes": [
            "1m"
          ]
        }
      ]
    },
    {
      "id": "g / Dup (severity=critical)",
      "cases": [
        {
          "group": "p3",
          "alert": "g / Dup (severity=critical)",
          "alertname": "Dup",
          "severity": "critical",
          "test": "dup",
          "evalTimes": [
            "1m"
          ]
        }
      ]
    },
    {
      "id": "g / Untested",
      "cases": []
    }
  ],
  "files": [
    {
      "evaluationInterval": "1m",
      "groups": [
        {
          "name": "p0",
          "interval": "1m",
          "input_series": [
            {
              "series": "x{job=\"a\"}",
              "values": "5x10"
            },
            {
              "series": "x{job=\"b\"}",
              "values": "2x10"
            }
          ],
          "alert_rule_test": [
            {
              "eval_time": "2m",
              "alertname": "High"
            },
            {
              "eval_time": "5m",
              "alertname": "High"
            }
          ]
        },
        {
          "name": "p2",
          "interval": "1m",
          "input_series": [
            {
              "series": "y{job=\"a\"}",
              "values": "15x10"
            }
          ],
          "external_labels": {
            "cluster": "c1"
          },
          "alert_rule_test": [
            {
              "eval_time": "1m",
              "alertname": "Dup"
            }
          ]
        },
        {
          "name": "p3",
          "interval": "1m",
          "input_series": [
            {
              "series": "y{job=\"a\"}",
              "values": "15x10"
            }
          ],
          "external_labels": {
            "cluster": "c1"
          },
          "alert_rule_test": [
            {
              "eval_time": "1m",
              "alertname": "Dup"
            }
          ]
        }
      ]
    },
    {
      "evaluationInterval": "30s",
      "groups": [
        {
          "name": "p1",
          "interval": "30s",
          "input_series": [
            {
              "series": "x{job=\"c\"}",
              "values": "9x20"
            }
          ],
          "alert_rule_test": [
            {
              "eval_time": "3m",
              "alertname": "High"
            }
          ]
        }
      ]
    }
  ]
});
  });
  it("plans nothing when no alert's firing can change", () => {
    expect(planAlertImpact(A, A)).toEqual({ alerts: [], files: [] });
  });
  it("writes each probe file with the side's rule files and no expected alerts", () => {
    expect(planAlertImpact(A, B).files.map((f) => probeFileText(f, ["rules/r.yml"]))).toEqual([
  "rule_files:\n  - rules/r.yml\nevaluation_interval: 1m\ntests:\n  - name: p0\n    interval: 1m\n    input_series:\n      - series: x{job=\"a\"}\n        values: 5x10\n      - series: x{job=\"b\"}\n        values: 2x10\n    alert_rule_test:\n      - eval_time: 2m\n        alertname: High\n      - eval_time: 5m\n        alertname: High\n  - name: p2\n    interval: 1m\n    input_series: &a1\n      - series: y{job=\"a\"}\n        values: 15x10\n    external_labels: &a2\n      cluster: c1\n    alert_rule_test:\n      - eval_time: 1m\n        alertname: Dup\n  - name: p3\n    interval: 1m\n    input_series: *a1\n    external_labels: *a2\n    alert_rule_test:\n      - eval_time: 1m\n        alertname: Dup\n",
  "rule_files:\n  - rules/r.yml\nevaluation_interval: 30s\ntests:\n  - name: p1\n    interval: 30s\n    input_series:\n      - series: x{job=\"c\"}\n        values: 9x20\n    alert_rule_test:\n      - eval_time: 3m\n        alertname: High\n"
]);
  });
});

describe("reading promtool back", () => {
  it("parses every probe failure into the firing label sets, keyed by group, alert and time in ms", () => {
    expect([...parsePromtoolFirings(BASE_RUNS[0]!.output)]).toEqual([
      ["p0\u0000High\u0000120000", [{ alertname: "High", job: "a", severity: "warning" }]],
      ["p0\u0000High\u0000300000", [{ alertname: "High", job: "a", severity: "warning" }]],
      ["p2\u0000Dup\u000060000", [{ alertname: "Dup", job: "a", severity: "warning" }]],
      ["p3\u0000Dup\u000060000", [{ alertname: "Dup", job: "a", severity: "warning" }]],
    ]);
    expect([...parsePromtoolFirings("SUCCESS\n")]).toEqual([]);
  });
  it("compares the two sides case by case", () => {
    expect(alertImpactFrom(planAlertImpact(A, B), BASE_RUNS, HEAD_RUNS)).toEqual([
  {
    "alert": "g / High",
    "status": "firing changed",
    "changed": [
      {
        "test": "high fires",
        "evalTime": "2m",
        "old": [
          "job=a"
        ],
        "new": [
          "job=a",
          "job=b"
        ]
      },
      {
        "test": "high fires",
        "evalTime": "5m",
        "old": [
          "job=a"
        ],
        "new": [
          "job=a",
          "job=b"
        ]
      }
    ],
    "cases": 3
  },
  {
    "alert": "g / Dup (severity=warning)",
    "status": "firing unchanged",
    "changed": [],
    "cases": 1
  },
  {
    "alert": "g / Dup (severity=critical)",
    "status": "firing changed",
    "changed": [
      {
        "test": "dup",
        "evalTime": "1m",
        "old": [],
        "new": [
          "job=a"
        ]
      }
    ],
    "cases": 1
  },
  {
    "alert": "g / Untested",
    "status": "no test series",
    "changed": [],
    "cases": 0
  }
]);
  });
  it("a side that could not be evaluated marks every tested alert, with promtool's first words", () => {
    const plan = planAlertImpact(A, B);
    const broken = [{ ok: false, output: "Processing test file: p0.yml\n\n  FAILED:\n    rules/r.yml: 3:11: group \"g\", rule 1, \"High\": could not parse expression\n" }];
    const notes = (base: typeof BASE_RUNS | string, head: typeof BASE_RUNS | string) => alertImpactFrom(plan, base, head).map((a) => [a.alert, a.status, a.cases, a.note]);
    expect(notes(broken, HEAD_RUNS)).toEqual([
      ["g / High", "not evaluated", 3, 'promtool failed on the base rules: FAILED:'],
      ["g / Dup (severity=warning)", "not evaluated", 1, 'promtool failed on the base rules: FAILED:'],
      ["g / Dup (severity=critical)", "not evaluated", 1, 'promtool failed on the base rules: FAILED:'],
      ["g / Untested", "no test series", 0, undefined],
    ]);
    expect(notes(BASE_RUNS, [{ ok: false, output: "" }])[0]).toEqual(["g / High", "not evaluated", 3, "promtool failed on the head rules: promtool failed"]);
    expect(notes("promtool is not built", HEAD_RUNS)[1]).toEqual(["g / Dup (severity=warning)", "not evaluated", 1, "promtool is not built"]);
    // Nothing fired anywhere on both sides: every tested alert unchanged.
    const quiet = [{ ok: true, output: "SUCCESS" }];
    expect(notes(quiet, quiet).map((n) => n[1])).toEqual(["firing unchanged", "firing unchanged", "firing unchanged", "no test series"]);
  });
});
