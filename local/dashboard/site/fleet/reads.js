// The registry's pages: which one an address names, and what each reads from the management API.
import { allPages, api } from '../api.js';
import { groupsPage, templatesPage, thingPage, thingsPage } from './views.js';

/** Things read for a search (ListThings pages of 250): the name is matched among these. */
const THING_PAGES = 4;

/** The registry page the address names (`#/things?name=…`, `#/things/<name>`, `#/groups[/<name>]`, `#/templates`). */
export function fleetRoute(parts, params) {
  if (parts[0] === 'things' && parts[1]) return { view: 'thing', thingName: parts[1] };
  if (parts[0] === 'things')
    return {
      view: 'things',
      search: Object.fromEntries(['name', 'type', 'attribute', 'value'].map((k) => [k, params.get(k) ?? ''])),
    };
  if (parts[0] === 'groups') return { view: 'groups', groupName: parts[1] ?? '' };
  if (parts[0] === 'templates') return { view: 'templates' };
  return undefined;
}

/** The address of a things search, from its form. */
export function searchAddress(form) {
  const params = new URLSearchParams();
  for (const name of ['name', 'type', 'attribute', 'value']) {
    const value = form.elements.namedItem(name).value.trim();
    if (value) params.set(name, value);
  }
  const text = params.toString();
  return `#/things${text ? `?${text}` : ''}`;
}

async function things({ name, type, attribute, value }) {
  const params = {
    maxResults: 250,
    thingTypeName: type,
    attributeName: attribute,
    ...(attribute ? { attributeValue: value } : {}),
  };
  let more = false;
  const listed = await allPages('/things', 'things', params, THING_PAGES).then((list) => {
    more = list.length >= THING_PAGES * 250;
    return list;
  });
  const needle = name.toLowerCase();
  return thingsPage(
    listed.filter((t) => t.thingName.toLowerCase().includes(needle)),
    { name, type, attribute, value },
    more,
  );
}

async function thing(thingName) {
  const id = encodeURIComponent(thingName);
  const [described, principals, groups, executions] = await Promise.all([
    api(`/things/${id}`),
    allPages(`/things/${id}/principals`, 'principals', {}),
    allPages(`/things/${id}/thing-groups`, 'thingGroups', {}),
    allPages(`/things/${id}/jobs`, 'executionSummaries', { maxResults: 100 }),
  ]);
  const certificates = await Promise.all(
    principals
      .filter((arn) => arn.includes(':cert/'))
      .map(async (arn) => {
        const certificateId = arn.slice(arn.indexOf(':cert/') + ':cert/'.length);
        const status = await api(`/certificates/${encodeURIComponent(certificateId)}`).then(
          (body) => body.certificateDescription?.status ?? 'unknown',
          () => 'unknown',
        );
        return { id: certificateId, status };
      }),
  );
  return thingPage(described, certificates, groups, executions);
}

async function groups(opened) {
  const listed = await allPages('/thing-groups', 'thingGroups', { maxResults: 250 });
  const described = await Promise.all(
    listed.map((g) =>
      api(`/thing-groups/${encodeURIComponent(g.groupName)}`).then(
        (body) => ({ name: g.groupName, parent: body.thingGroupMetadata?.parentGroupName }),
        () => ({ name: g.groupName }),
      ),
    ),
  );
  const members = opened
    ? await allPages(`/thing-groups/${encodeURIComponent(opened)}/things`, 'things', { maxResults: 250 })
    : [];
  return groupsPage(described, opened, members);
}

async function templates() {
  const listed = await allPages('/job-templates', 'jobTemplates', { maxResults: 100 });
  const described = await Promise.all(
    listed.map((t) =>
      api(`/job-templates/${encodeURIComponent(t.jobTemplateId)}`).then(
        (body) => ({ ...t, document: body.document }),
        () => t,
      ),
    ),
  );
  return templatesPage(described);
}

/** The page's HTML for a registry route. */
export function renderFleet(route) {
  if (route.view === 'things') return things(route.search);
  if (route.view === 'thing') return thing(route.thingName);
  if (route.view === 'groups') return groups(route.groupName);
  return templates();
}
