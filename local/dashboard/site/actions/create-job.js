// The Create job page: a job's document (JSON, or a template's), its targets picked from the things and groups the
// registry lists, and its optional settings; its button makes CreateJob, and the page then shows the new job.
import { call } from '../api.js';
import { esc } from '../views.js';
import { announce, fieldValue } from './dialog.js';
import { commonConfig, commonSettings, createOnlyConfig, createOnlySettings } from './settings-fields.js';

const checkboxes = (name, items) =>
  items.length
    ? `<ul class="picks">${items
        .map(
          ({ label, value }, i) =>
            `<li><input type="checkbox" id="${name}-${i}" name="${name}" value="${esc(value)}"><label for="${name}-${i}">${esc(label)}</label></li>`,
        )
        .join('')}</ul>`
    : `<p class="muted">None registered.</p>`;

/** The page, from ListThings, ListThingGroups and ListJobTemplates (their first pages). */
export function createJobPage(things, groups, templates) {
  return `<p><a href="#/">← Jobs</a></p>
  <h1>Create job</h1>
  <form data-form="create-job" class="card create" novalidate>
    <div class="fields">
      <label for="f-jobId">Job ID</label><input id="f-jobId" name="jobId" required maxlength="64" autocomplete="off">
      <label for="f-description">Description</label><input id="f-description" name="description" maxlength="2028">
      <label for="f-template">Template</label><select id="f-template" name="template"><option value="">None: the document below</option>${templates
        .map((t) => `<option value="${esc(t.jobTemplateArn)}">${esc(t.jobTemplateId)}</option>`)
        .join('')}</select>
      <label for="f-document">Document (JSON)</label><textarea id="f-document" name="document" rows="4" spellcheck="false"></textarea>
    </div>
    <fieldset><legend>Target things</legend>${checkboxes(
      'thing',
      things.map((t) => ({ label: t.thingName, value: t.thingArn })),
    )}</fieldset>
    <fieldset><legend>Target groups</legend>${checkboxes(
      'group',
      groups.map((g) => ({ label: g.groupName, value: g.groupArn })),
    )}
      <div class="fields"><label for="f-targetSelection">Target selection</label><select id="f-targetSelection" name="targetSelection"><option>SNAPSHOT</option><option>CONTINUOUS</option></select></div>
    </fieldset>
    ${commonSettings(undefined)}
    ${createOnlySettings()}
    <p class="error" role="alert" hidden></p>
    <div class="buttons"><button type="submit">Create job</button></div>
  </form>`;
}

/** The CreateJob request the form asks for; what is plainly missing is refused before any call. */
function requestOf(form) {
  const jobId = fieldValue(form, 'jobId');
  if (!jobId) throw new Error('Give the job an ID.');
  const targets = [...form.querySelectorAll('input[name="thing"]:checked, input[name="group"]:checked')].map(
    (box) => box.value,
  );
  if (!targets.length) throw new Error('Pick at least one thing or group to target.');
  const jobTemplateArn = fieldValue(form, 'template');
  const document = fieldValue(form, 'document');
  if (!jobTemplateArn && !document) throw new Error('Give a document, or pick a template.');
  return {
    jobId,
    body: {
      targets,
      targetSelection: fieldValue(form, 'targetSelection'),
      ...(jobTemplateArn ? { jobTemplateArn } : { document }),
      ...(fieldValue(form, 'description') ? { description: fieldValue(form, 'description') } : {}),
      ...commonConfig(form),
      ...createOnlyConfig(form),
    },
  };
}

/** Submits the form: CreateJob, then the new job's page; a refusal is shown above the button. */
export async function submitCreateJob(form) {
  const error = form.querySelector('[role="alert"]');
  const button = form.querySelector('button[type="submit"]');
  error.hidden = true;
  button.disabled = true;
  try {
    const { jobId, body } = requestOf(form);
    await call('PUT', `/jobs/${encodeURIComponent(jobId)}`, body);
    announce(`CreateJob: ${jobId} created.`);
    location.hash = `#/jobs/${encodeURIComponent(jobId)}`;
  } catch (failure) {
    error.textContent = failure.message;
    error.hidden = false;
    button.disabled = false;
    error.focus?.();
  }
}
