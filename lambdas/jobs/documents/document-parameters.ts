import { InvalidRequestException } from '../shared/errors';
import type { ManagedJobTemplate } from './managed-templates';

/**
 * A managed template's documentParameters: each value checked against its rule (the whole value matches the rule's
 * regex), required ones present, unknown keys refused; then every `${aws:iot:parameter:KEY}` of the template's document
 * replaced by its value, once, when the job is created (AWS). An optional parameter not given is replaced by nothing:
 * the Device Client reads an empty `path` as its working directory and an empty `runAsUser` as its own user.
 */

const PLACEHOLDER = /\$\{aws:iot:parameter:([a-zA-Z0-9_-]+)\}/g;

export function checkDocumentParameters(template: ManagedJobTemplate, given: Readonly<Record<string, string>>): void {
  const rules = new Map(template.documentParameters.map((rule) => [rule.key, rule]));
  for (const [key, value] of Object.entries(given)) {
    const rule = rules.get(key);
    if (!rule)
      throw new InvalidRequestException(
        `documentParameters: ${template.templateName} takes no parameter ${key} (it takes ${[...rules.keys()].join(', ')})`,
      );
    if (!new RegExp(`^(?:${rule.regex})$`, 'su').test(value))
      throw new InvalidRequestException(
        `documentParameters: ${key} must match ${rule.regex} (for example ${rule.example})`,
      );
  }
  const missing = template.documentParameters.filter((rule) => !rule.optional && given[rule.key] === undefined);
  if (missing.length)
    throw new InvalidRequestException(
      `documentParameters: ${template.templateName} requires ${missing.map((rule) => rule.key).join(', ')}`,
    );
}

/**
 * The template's document with the values in place. The placeholders stand inside JSON strings, so each value goes in
 * as JSON string content (a quote or a backslash in it keeps the document JSON).
 */
export function substituteDocumentParameters(document: string, given: Readonly<Record<string, string>>): string {
  return document.replace(PLACEHOLDER, (_placeholder, key: string) => JSON.stringify(given[key] ?? '').slice(1, -1));
}
