/** Predicts the annotations an alert will carry in a unit test, from the rule's templates and the test's data. */
import { type AlertRule, alertAnnotationsRendered, type ExpectedAlert } from "./model";
import { renderTemplate } from "./template";

export interface PredictedAnnotations {
  readonly annotations: Record<string, string>;
  /** Rendered annotation keys whose text could not be predicted and was not given by the test. */
  readonly unpredictable: string[];
}

export function expectedAnnotations(rule: AlertRule, e: ExpectedAlert, externalLabels?: Readonly<Record<string, string>>): PredictedAnnotations {
  const annotations: Record<string, string> = {};
  const unpredictable: string[] = [];
  for (const [k, tmpl] of Object.entries(alertAnnotationsRendered(rule))) {
    const given = e.annotations?.[k];
    const text = given ?? renderTemplate(tmpl, { labels: e.labels ?? {}, externalLabels: externalLabels ?? {}, value: e.value });
    if (text === undefined) unpredictable.push(k);
    else annotations[k] = text;
  }
  return { annotations, unpredictable };
}

