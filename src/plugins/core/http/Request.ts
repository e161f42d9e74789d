import { defineTask, p } from '../../api.js';
import { HTTP_OUTPUTS, httpProperties } from './http-props.js';
import { runRequest } from './run-request.js';

export default defineTask({
  type: 'io.kestra.plugin.core.http.Request',
  aliases: ['io.kestra.plugin.http.Request'],
  legacyNames: ['io.kestra.plugin.fs.http.Request'],
  title: 'Call an HTTP endpoint',
  description:
    'Sends an HTTP request and exposes the response code, headers and body as outputs. A response code of 400 or more fails the task unless `options.allowFailed`. For large responses, use `Download`, which stores the body as a file.',
  properties: {
    ...httpProperties(),
    encryptBody: p
      .boolean()
      .default(false)
      .describe('Store the response body encrypted, in the `encryptedBody` output, rather than in `body`.'),
  },
  outputs: {
    uri: { type: 'string', description: 'The URL called.' },
    ...HTTP_OUTPUTS,
    body: { type: 'any', description: 'The response body.' },
    encryptedBody: { type: 'object', description: 'The encrypted response body, when `encryptBody` is set.' },
    formData: { type: 'object', description: 'The form data sent.' },
  },
  run: runRequest,
  examples: [
    {
      title: 'Post JSON and log the answer',
      code: `id: http_post_example
namespace: company.team
inputs:
  - id: payload
    type: JSON
    defaults: '{"title": "Kestra Pen"}'
tasks:
  - id: send
    type: io.kestra.plugin.core.http.Request
    uri: https://dummyjson.com/products/add
    method: POST
    contentType: application/json
    body: "{{ inputs.payload }}"
    options:
      timeout:
        connectTimeout: PT10S
      auth:
        type: BEARER
        token: "{{ secret('API_TOKEN') }}"
  - id: show
    type: io.kestra.plugin.core.log.Log
    message: "{{ outputs.send.code }} {{ outputs.send.body }}"`,
    },
    {
      title: 'Send a form',
      code: `- id: login
  type: io.kestra.plugin.core.http.Request
  uri: https://example.com/login
  method: POST
  contentType: application/x-www-form-urlencoded
  headers:
    user-agent: windhover
  formData:
    user: user
    password: pass`,
    },
  ],
});
