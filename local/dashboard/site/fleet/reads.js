// The registry's pages: which one an address names, and what each reads from the management API.
import { ApiError, allPages, api, call, pagesOf } from '../api.js';
import { groupsPage, templatesPage, thingPage, thingsPage, thingTypesPage } from './views.js';

/** Things read for a search (ListThings pages of 250): the name is matched among these. */
const THING_PAGES = 4;

/** The things search form's fields, as the address carries them. */
const SEARCH_FIELDS = ['name', 'type', 'attribute', 'value', 'query'];

/** The registry page the address names (`#/things?name=…`, `#/things/<name>`, `#/groups[/<name>]`, `#/types`, `#/templates`). */
export function fleetRoute(parts, params) {
  if (parts[0] === 'things' && parts[1]) return { view: 'thing', thingName: parts[1] };
  if (parts[0] === 'things')
    return {
      view: 'things',
      search: Object.fromEntries(SEARCH_FIELDS.map((k) => [k, params.get(k) ?? ''])),
    };
  if (parts[0] === 'groups') return { view: 'groups', groupName: parts[1] ?? '' };
  if (parts[0] === 'types') return { view: 'types' };
  if (parts[0] === 'templates') return { view: 'templates' };
  return undefined;
}

/** The address of a things search, from its form. */
export function searchAddress(form) {
  const params = new URLSearchParams();
  for (const name of SEARCH_FIELDS) {
    const value = form.elements.namedItem(name).value.trim();
    if (value) params.set(name, value);
  }
  const text = params.toString();
  return `#/things${text ? `?${text}` : ''}`;
}

/** Things the fleet index finds (SearchIndex on AWS_Things, pages of 250, at most THING_PAGES of them). */
const indexedThings = (queryString) =>
  pagesOf(
    (nextToken) =>
      call('POST', '/indices/search', {
        indexName: 'AWS_Things',
        queryString,
        maxResults: 250,
        ...(nextToken ? { nextToken } : {}),
      }),
    'things',
    THING_PAGES,
  );

/** What the page says of a fleet query the service refused: with indexing off, how to turn it on. */
const refusalOf = (error) =>
  error.type === 'ResourceNotFoundException'
    ? 'Fleet indexing is off, so there is no index to search: turn it on with aws iot update-indexing-configuration --thing-indexing-configuration thingIndexingMode=REGISTRY.'
    : error.message;

async function things(search) {
  if (search.query) {
    try {
      const { items: found, more } = await indexedThings(search.query);
      return thingsPage(found, search, more ? 'The search stopped after four pages: there may be more matches.' : '');
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      return thingsPage([], search, '', refusalOf(error));
    }
  }
  const { name, type, attribute, value } = search;
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
    search,
    more ? 'Only the first things the registry listed were searched by name.' : '',
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
        // A dynamic group says its query.
        (body) => ({ name: g.groupName, parent: body.thingGroupMetadata?.parentGroupName, query: body.queryString }),
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
  if (route.view === 'types') return allPages('/thing-types', 'thingTypes', { maxResults: 250 }).then(thingTypesPage);
  return templates();
}
