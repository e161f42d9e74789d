import { defineRunner, p } from '../../api.js';
import type { Prop } from '../../api.js';

/** Registry credentials (`credentials` of the Docker runner and of the deprecated `docker`). */
export const dockerCredentialsProp: Prop = p
  .object({
    registry: p.string().describe('The registry URL; taken from the image name when not set.'),
    username: p.string().describe('The registry user name.'),
    password: p.string().describe('The registry password.'),
    registryToken: p.string().describe('A registry token.'),
    identityToken: p.string().describe('An identity token.'),
    auth: p.string().describe('Base64 of `username:password`, or a token.'),
  })
  .describe('Credentials for a private container registry.');

export const dockerCpuProp: Prop = p
  .object({
    cpus: p.number({ min: 0 }).describe('How many CPUs the container may use, e.g. `1.5`.'),
  })
  .describe('CPU limit of the container.');

export const dockerMemoryProp: Prop = p
  .object({
    memory: p
      .string()
      .describe(
        'Hard memory limit, a number and a unit such as `512MB` or `2GB` (binary units: 512MB = 512 MiB).',
      ),
    memorySwap: p.string().describe('Memory plus swap the container may use.'),
    memorySwappiness: p.string().describe('How readily the kernel swaps the container out, 0 to 100.'),
    memoryReservation: p.string().describe('Soft limit, applied when the host runs short of memory.'),
    kernelMemory: p.string().describe('Kernel memory limit, at least `4MB`.'),
    oomKillDisable: p.boolean().describe('Do not kill the container when it runs out of memory.'),
  })
  .describe('Memory limits of the container.');

export const dockerDeviceRequestProp: Prop = p.object({
  driver: p.string(),
  count: p.integer(),
  deviceIds: p.list(p.string()),
  capabilities: p
    .list(p.list(p.string()))
    .describe('An OR list of AND lists of capabilities, e.g. `[[gpu]]`.'),
  options: p.map(p.string()).describe('Options passed to the driver.'),
});

export const dockerPullPolicyProp: Prop = p
  .enum(['IF_NOT_PRESENT', 'ALWAYS', 'NEVER'])
  .default('IF_NOT_PRESENT')
  .describe('When to pull the image: when it is missing, always, or never.');

/** What the Docker runner and the deprecated `docker` property of script tasks share. */
export const dockerCommonProps: Record<string, Prop> = {
  host: p
    .string()
    .describe(
      'Docker API URI, `unix:///path/docker.sock` or `tcp://host:port` (no TLS); `DOCKER_HOST`, else `/var/run/docker.sock`, when not set.',
    ),
  config: p
    .union(p.string(), p.map(p.any()))
    .describe(
      'A Docker `config.json` (as text or a map), e.g. to log in to private registries. Not read by Windhover (a warning is logged): use `credentials`.',
    ),
  credentials: dockerCredentialsProp,
  user: p.string().describe('The user the container runs as.'),
  entryPoint: p
    .list(p.string())
    .describe('The entrypoint of the container; the image entrypoint is cleared by default.'),
  extraHosts: p.list(p.string()).describe('Extra `host:ip` entries for the container.'),
  networkMode: p.string().describe('Docker network mode, e.g. `host` or `none`.'),
  volumes: p
    .list(p.string())
    .describe(
      'Volumes to mount, as `/host/path:/container/path[:ro]`; the worker must allow it with `WINDHOVER_DOCKER_VOLUME_ENABLED=true`.',
    ),
  pullPolicy: dockerPullPolicyProp,
  deviceRequests: p
    .list(dockerDeviceRequestProp, { dynamic: false })
    .describe('Devices (e.g. GPUs) to request.'),
  cpu: dockerCpuProp,
  memory: dockerMemoryProp,
  shmSize: p.string().describe('Size of `/dev/shm`; 64MB when not set.'),
  privileged: p.boolean().describe('Give the container extended privileges.'),
};

export default defineRunner({
  type: 'io.kestra.plugin.scripts.runner.docker.Docker',
  title: 'Run in a Docker container',
  description:
    "Runs the commands of a script task in a container of the task's `containerImage`, on a Docker engine on the worker's machine (its HTTP API at `host`, `DOCKER_HOST` or `/var/run/docker.sock`). " +
    'The working directory, with input and namespace files, is bind-mounted at the same path (`{{ workingDir }}`); files listed in `outputFiles` are collected from it. ' +
    'The container is removed when it ends, and killed on kill or timeout. A missing engine or image fails the task with `WH_DOCKER_UNREACHABLE` or `WH_DOCKER_IMAGE_NOT_FOUND`.',
  properties: {
    ...dockerCommonProps,
    image: p
      .string()
      .deprecated('containerImage')
      .describe('The image; set `containerImage` on the task instead.'),
    portBindings: p
      .list(p.string())
      .describe('Ports to publish, as for `docker run -p`: `8080:80`, `127.0.0.1:8080:80/udp`.'),
    fileHandlingStrategy: p
      .enum(['VOLUME', 'MOUNT'])
      .default('VOLUME')
      .describe(
        "Copy the working directory into a volume, or bind-mount it. Windhover always bind-mounts it (the engine must be on the worker's machine).",
      ),
    delete: p.boolean().default(true).describe('Remove the container when it ends.'),
    wait: p.boolean().default(true).describe('Wait for the container to exit. Windhover always waits.'),
    killGracePeriod: p
      .duration({ dynamic: false })
      .default('PT0S')
      .describe('On kill, time given to the container to stop before it is killed.'),
    resume: p
      .boolean()
      .default(true)
      .describe(
        'On restart, reattach to a container left running for the same task run. Not supported by Windhover: a retried task run starts a new container.',
      ),
  },
  examples: [
    {
      title: 'Run a Python script in a container with 1 CPU and 512 MB',
      code: `id: python_in_docker
namespace: company.team
tasks:
  - id: script
    type: io.kestra.plugin.scripts.python.Script
    containerImage: python:3.13-slim
    taskRunner:
      type: io.kestra.plugin.scripts.runner.docker.Docker
      pullPolicy: IF_NOT_PRESENT
      cpu:
        cpus: 1
      memory:
        memory: 512MB
    script: |
      print("Hello from a container")`,
    },
  ],
});
