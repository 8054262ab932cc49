// The registry's pages, as HTML from the management API's answers: things (searched), one thing, groups as a tree
// with their members, thing types, and job templates.
import { esc, executionLink, jobLink, statusBadge, timeText } from '../views.js';

export const thingLink = (name) => `#/things/${encodeURIComponent(name)}`;
export const groupLink = (name) => `#/groups/${encodeURIComponent(name)}`;
const attributesText = (attributes = {}) =>
  Object.entries(attributes)
    .map(([name, value]) => `${name}=${value}`)
    .join(', ');
const input = (name, label, value) =>
  `<label for="s-${name}">${esc(label)}</label><input id="s-${name}" name="${name}" value="${esc(value ?? '')}">`;

/**
 * Things, by name, type and attribute, or by a fleet query in AWS's syntax (which then stands alone): the form sets the
 * address, so a search can be linked and reloaded. `note` says what the search may have left out; `refusal`, why the
 * service refused it.
 */
export function thingsPage(things, search, note, refusal = '') {
  const rows = things.map(
    (t) => `<tr data-thing="${esc(t.thingName)}">
      <td data-label="Thing"><a href="${thingLink(t.thingName)}">${esc(t.thingName)}</a></td>
      <td data-label="Type">${esc(t.thingTypeName ?? '')}</td>
      <td data-label="Attributes">${esc(attributesText(t.attributes))}</td>
    </tr>`,
  );
  return `<h1>Things</h1>
  <form class="card search" data-form="search-things" role="search" aria-label="Search things">
    <div class="fields">
      ${input('name', 'Name contains', search.name)}
      ${input('type', 'Thing type', search.type)}
      ${input('attribute', 'Attribute name', search.attribute)}
      ${input('value', 'Attribute value', search.value)}
      ${input('query', 'Fleet query', search.query)}
    </div>
    <p class="muted">A fleet query, such as <code>attributes.firmware&lt;3.1 AND thingTypeName:sensor</code>, searches the
      fleet index in AWS's syntax instead of the fields above.</p>
    <div class="buttons"><button type="submit">Search</button></div>
  </form>
  <table class="cards" aria-label="Things">
    <thead><tr><th scope="col">Thing</th><th scope="col">Type</th><th scope="col">Attributes</th></tr></thead>
    <tbody>${rows.join('') || '<tr><td colspan="3" class="muted">No things match.</td></tr>'}</tbody>
  </table>
  ${refusal ? `<p class="error" role="alert">${esc(refusal)}</p>` : ''}
  ${note ? `<p class="muted">${esc(note)}</p>` : ''}`;
}

/** One thing: its registry entry, its certificates and their state, its groups, and its executions across jobs. */
export function thingPage(thing, certificates, groups, executions) {
  const executionRows = executions.map(
    ({ jobId, jobExecutionSummary: e }) => `<tr data-job-id="${esc(jobId)}">
      <td data-label="Job"><a href="${jobLink(jobId)}">${esc(jobId)}</a></td>
      <td data-label="Status"><a href="${executionLink(jobId, thing.thingName)}">${statusBadge(e.status)}</a></td>
      <td data-label="Execution" class="numeric">${e.executionNumber ?? ''}</td>
      <td data-label="Retry attempt" class="numeric">${e.retryAttempt ?? ''}</td>
      <td data-label="Last updated">${esc(timeText(e.lastUpdatedAt))}</td>
    </tr>`,
  );
  return `<p><a href="#/things">← Things</a></p>
  <h1>${esc(thing.thingName)}</h1>
  <dl class="config card">
    <dt>type</dt><dd>${esc(thing.thingTypeName ?? 'none')}</dd>
    <dt>attributes</dt><dd>${esc(attributesText(thing.attributes) || 'none')}</dd>
    <dt>version</dt><dd>${esc(thing.version)}</dd>
  </dl>
  <h2 id="certificates-heading">Certificates</h2>
  ${
    certificates.length
      ? `<ul class="plain" aria-labelledby="certificates-heading">${certificates
          .map(
            (c) =>
              `<li data-certificate="${esc(c.id)}"><code>${esc(c.id)}</code> <span class="status" data-cert-status="${esc(c.status)}">${esc(c.status)}</span></li>`,
          )
          .join('')}</ul>`
      : '<p class="muted">No certificate attached: its device cannot call over mutual TLS.</p>'
  }
  <h2 id="groups-heading">Groups</h2>
  ${
    groups.length
      ? `<ul class="plain" aria-labelledby="groups-heading">${groups.map((g) => `<li><a href="${groupLink(g.groupName)}">${esc(g.groupName)}</a></li>`).join('')}</ul>`
      : '<p class="muted">In no group.</p>'
  }
  <h2>Executions</h2>
  <table class="cards" aria-label="Executions of ${esc(thing.thingName)}">
    <thead><tr><th scope="col">Job</th><th scope="col">Status</th><th scope="col" class="numeric">Execution</th><th scope="col" class="numeric">Retry attempt</th><th scope="col">Last updated</th></tr></thead>
    <tbody>${executionRows.join('') || '<tr><td colspan="5" class="muted">No executions.</td></tr>'}</tbody>
  </table>`;
}

/** The groups as a tree (each under its parent), and the members of the one opened. */
export function groupsPage(groups, opened, members) {
  const children = (parent) => groups.filter((g) => (g.parent ?? '') === parent);
  const branch = (parent) => {
    const list = children(parent);
    return list.length
      ? `<ul class="tree">${list
          .map(
            (g) =>
              `<li data-group="${esc(g.name)}"><a href="${groupLink(g.name)}"${g.name === opened ? ' aria-current="page"' : ''}>${esc(g.name)}</a>${g.query === undefined ? '' : ` <span class="muted">dynamic:</span> <code class="query">${esc(g.query)}</code>`}${branch(g.name)}</li>`,
          )
          .join('')}</ul>`
      : '';
  };
  return `<h1>Groups</h1>
  ${groups.length ? `<nav aria-label="Group tree" class="card">${branch('')}</nav>` : '<p class="muted">No groups.</p>'}
  ${
    opened
      ? `<h2 id="members-heading">Members of ${esc(opened)}</h2>${
          members.length
            ? `<ul class="plain members" aria-labelledby="members-heading">${members.map((name) => `<li><a href="${thingLink(name)}">${esc(name)}</a></li>`).join('')}</ul>`
            : '<p class="muted">No members.</p>'
        }`
      : ''
  }`;
}

/** The job templates, each with its document. */
export function templatesPage(templates) {
  if (!templates.length) return '<h1>Job templates</h1><p class="muted">No job templates.</p>';
  return `<h1>Job templates</h1>${templates
    .map(
      (
        t,
      ) => `<section class="card template" data-template="${esc(t.jobTemplateId)}" aria-labelledby="t-${esc(t.jobTemplateId)}">
      <h2 id="t-${esc(t.jobTemplateId)}">${esc(t.jobTemplateId)}</h2>
      ${t.description ? `<p>${esc(t.description)}</p>` : ''}
      <p class="muted">created ${esc(timeText(t.createdAt))}</p>
      <pre class="document">${esc(t.document ?? '')}</pre>
    </section>`,
    )
    .join('')}`;
}

/** The thing types: each with its description, its searchable attributes, and whether it is deprecated (since when). */
export function thingTypesPage(types) {
  const rows = types.map(
    (t) => `<tr data-thing-type="${esc(t.thingTypeName)}">
      <td data-label="Type"><a href="#/things?type=${encodeURIComponent(t.thingTypeName)}">${esc(t.thingTypeName)}</a></td>
      <td data-label="Description">${esc(t.thingTypeProperties?.thingTypeDescription ?? '')}</td>
      <td data-label="Searchable attributes">${esc((t.thingTypeProperties?.searchableAttributes ?? []).join(', '))}</td>
      <td data-label="State" class="state">${
        t.thingTypeMetadata?.deprecated ? `deprecated ${esc(timeText(t.thingTypeMetadata.deprecationDate))}` : 'active'
      }</td>
      <td data-label="Created">${esc(timeText(t.thingTypeMetadata?.creationDate))}</td>
    </tr>`,
  );
  return `<h1>Thing types</h1>
  <p class="muted">A type's name lists its things. A deprecated type takes no new things until it is undeprecated.</p>
  <table class="cards" aria-label="Thing types">
    <thead><tr><th scope="col">Type</th><th scope="col">Description</th><th scope="col">Searchable attributes</th><th scope="col">State</th><th scope="col">Created</th></tr></thead>
    <tbody>${rows.join('') || '<tr><td colspan="5" class="muted">No thing types.</td></tr>'}</tbody>
  </table>`;
}
