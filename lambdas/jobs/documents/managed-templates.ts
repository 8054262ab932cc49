/**
 * AWS's managed job templates, as AWS publishes them: each one's document (the "version 1.0" schema of steps, each a
 * runHandler action the AWS IoT Device Client runs), and the rules its documentParameters are checked by. The
 * documents are kept as AWS serves them (compact JSON), so a device reads the very bytes it would read from AWS.
 */

export interface DocumentParameterRule {
  key: string;
  description: string;
  /** Checked against the whole value. */
  regex: string;
  example: string;
  optional: boolean;
}

export interface ManagedJobTemplate {
  templateName: string;
  templateVersion: string;
  description: string;
  environments: string[];
  documentParameters: DocumentParameterRule[];
  document: string;
}

/** Every managed template takes these two: who runs the handler, and where it lies (AWS). */
const RUN_AS_USER: DocumentParameterRule = {
  key: 'runAsUser',
  description:
    'Execute handler as another user. If not specified, then handler is executed as the same user as device client.',
  regex: '(.){0,256}',
  example: 'user1',
  optional: true,
};
const PATH_TO_HANDLER: DocumentParameterRule = {
  key: 'pathToHandler',
  description:
    'Path to handler on the device. If not specified, then device client will use the current working directory.',
  regex: '(.){0,4096}',
  example: '/path/to/handler/script',
  optional: true,
};

/** Where a parameter's value goes in a managed template's document. */
export const parameterPlaceholder = (key: string): string => `\${aws:iot:parameter:${key}}`;

/** One runHandler step: the Device Client runs `handler` (a script under `path`) with `args`, as `runAsUser`. */
function handlerDocument(actionName: string, handler: string, args: string[]): string {
  const input = {
    handler,
    ...(args.length ? { args: args.map(parameterPlaceholder) } : {}),
    path: parameterPlaceholder('pathToHandler'),
  };
  return JSON.stringify({
    version: '1.0',
    steps: [{ action: { name: actionName, type: 'runHandler', input, runAsUser: parameterPlaceholder('runAsUser') } }],
  });
}

const required = (key: string, description: string, example: string): DocumentParameterRule => ({
  key,
  description,
  regex: '(.)+',
  example,
  optional: false,
});

const packages = (verb: string) => required('packages', `Space separated list of packages to ${verb}.`, 'nano vim');
const services = (verb: string) => required('services', `Space separated list of services to ${verb}.`, 'ssh cron');

function template(
  name: string,
  description: string,
  handler: string,
  parameters: DocumentParameterRule[],
): ManagedJobTemplate {
  return {
    templateName: `AWS-${name}`,
    templateVersion: '1.0',
    description,
    environments: ['LINUX'],
    documentParameters: [...parameters, RUN_AS_USER, PATH_TO_HANDLER],
    document: handlerDocument(
      name,
      handler,
      parameters.map((parameter) => parameter.key),
    ),
  };
}

/** By name; each at its one version, 1.0 (the default version DescribeManagedJobTemplate answers with). */
export const MANAGED_JOB_TEMPLATES: readonly ManagedJobTemplate[] = [
  template('Download-File', 'A managed job template for downloading a file.', 'download-file.sh', [
    {
      key: 'downloadUrl',
      description: 'URL of file to download.',
      regex: '(.*?)',
      example: 'http://www.example.com/index.html',
      optional: false,
    },
    {
      key: 'filePath',
      description: 'Path on the device where downloaded file is written.',
      regex: '(.*?)',
      example: '/path/to/file',
      optional: false,
    },
  ]),
  template(
    'Install-Application',
    'A managed job template for installing one or more applications.',
    'install-packages.sh',
    [packages('install')],
  ),
  template('Reboot', 'A managed job template for rebooting the device.', 'reboot.sh', []),
  template(
    'Remove-Application',
    'A managed job template for uninstalling one or more applications.',
    'remove-packages.sh',
    [packages('uninstall')],
  ),
  template(
    'Restart-Application',
    'A managed job template for restarting one or more system services.',
    'restart-services.sh',
    [services('restart')],
  ),
  template(
    'Start-Application',
    'A managed job template for starting one or more system services.',
    'start-services.sh',
    [services('start')],
  ),
  template('Stop-Application', 'A managed job template for stopping one or more system services.', 'stop-services.sh', [
    services('stop'),
  ]),
];
