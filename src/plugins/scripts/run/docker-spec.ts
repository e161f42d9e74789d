/**
 * The Docker runner's properties (`taskRunner` of type Docker, or the deprecated `docker`) read
 * into what the engine is asked for: the image and pull policy, and the container's
 * `HostConfig` (mounts, network, CPU and memory limits, devices, ports). Bad values fail the task
 * naming the property.
 */
import { isRecord, parseIsoDuration, TaskFailure } from '../../api.js';

/** The setting that lets flows mount folders of the worker (`volumes`), as Kestra's `volume-enabled`. */
export const DOCKER_VOLUMES_VARIABLE = 'WINDHOVER_DOCKER_VOLUME_ENABLED';

export type PullPolicy = 'IF_NOT_PRESENT' | 'ALWAYS' | 'NEVER';

/** What the runner's properties ask of the engine. */
export interface DockerRunSpec {
  image: string;
  pullPolicy: PullPolicy;
  /** `X-Registry-Auth` for pulls, from `credentials`. */
  registryAuth?: string;
  /** `Entrypoint` of the container: cleared (`[""]`) unless `entryPoint` is set. */
  entrypoint: string[];
  user?: string;
  hostConfig: Record<string, unknown>;
  exposedPorts: Record<string, Record<string, never>>;
  /** Remove the container when it ends (`delete`). */
  remove: boolean;
  /** Seconds between SIGTERM and SIGKILL on kill (`killGracePeriod`). */
  killGraceSeconds: number;
}

/** Binary units, as Docker reads them (`512m`, `512MB` and `512MiB` are all 512 × 1024²). */
const SIZE_UNITS: Readonly<Record<string, number>> = {
  '': 1,
  b: 1,
  k: 1024,
  m: 1024 ** 2,
  g: 1024 ** 3,
  t: 1024 ** 4,
};

/** Bytes of a size such as `512MB`, `2g`, `1.5GiB` or a plain number; throws naming the property. */
export function dockerSize(value: unknown, property: string): number {
  if (typeof value === 'number' && Number.isFinite(value) && value >= 0) return Math.round(value);
  const match = typeof value === 'string' ? /^\s*(\d+(?:\.\d+)?)\s*([kmgt]?)(?:i?b)?\s*$/i.exec(value) : null;
  const unit = match ? SIZE_UNITS[match[2]!.toLowerCase()] : undefined;
  if (!match || unit === undefined)
    throw new TaskFailure(
      `Property \`${property}\`: \`${shown(value)}\` is not a size; give a number and a unit such as \`512MB\` or \`2GB\``,
    );
  return Math.round(Number(match[1]) * unit);
}

/** Reads the runner's properties; `workerEnv` says whether `volumes` are allowed. */
export function dockerRunSpec(
  options: Record<string, unknown>,
  image: string,
  workerEnv: Readonly<Record<string, string | undefined>>,
  prefix = 'taskRunner',
): DockerRunSpec {
  const at = (name: string) => `${prefix}.${name}`;
  const hostConfig: Record<string, unknown> = {};
  const volumes = stringList(options.volumes, at('volumes'));
  if (volumes.length > 0) {
    if (workerEnv[DOCKER_VOLUMES_VARIABLE] !== 'true')
      throw new TaskFailure(
        `Property \`${at('volumes')}\`: mounting folders of the worker into containers is off; an operator turns it on with ${DOCKER_VOLUMES_VARIABLE}=true (Kestra's \`volume-enabled\`)`,
      );
    hostConfig.Binds = volumes;
  }
  const networkMode = text(options.networkMode);
  if (networkMode) hostConfig.NetworkMode = networkMode;
  const extraHosts = stringList(options.extraHosts, at('extraHosts'));
  if (extraHosts.length > 0) hostConfig.ExtraHosts = extraHosts;
  if (options.privileged === true || options.privileged === 'true') hostConfig.Privileged = true;
  if (options.shmSize !== undefined && options.shmSize !== null)
    hostConfig.ShmSize = dockerSize(options.shmSize, at('shmSize'));
  Object.assign(hostConfig, cpuLimits(options.cpu, at('cpu')), memoryLimits(options.memory, at('memory')));
  const deviceRequests = deviceRequestsOf(options.deviceRequests, at('deviceRequests'));
  if (deviceRequests.length > 0) hostConfig.DeviceRequests = deviceRequests;
  const ports = portBindings(stringList(options.portBindings, at('portBindings')), at('portBindings'));
  if (Object.keys(ports.bindings).length > 0) hostConfig.PortBindings = ports.bindings;

  const entryPoint = stringList(options.entryPoint, at('entryPoint'));
  const user = text(options.user);
  const registryAuth = registryAuthOf(options.credentials);
  return {
    image,
    pullPolicy: pullPolicyOf(options.pullPolicy, at('pullPolicy')),
    ...(registryAuth ? { registryAuth } : {}),
    entrypoint: entryPoint.length > 0 ? entryPoint : [''],
    ...(user ? { user } : {}),
    hostConfig,
    exposedPorts: ports.exposed,
    remove: options.delete !== false && options.delete !== 'false',
    killGraceSeconds: graceSeconds(options.killGracePeriod, at('killGracePeriod')),
  };
}

function pullPolicyOf(value: unknown, property: string): PullPolicy {
  if (value === undefined || value === null) return 'IF_NOT_PRESENT';
  if (value === 'IF_NOT_PRESENT' || value === 'ALWAYS' || value === 'NEVER') return value;
  throw new TaskFailure(
    `Property \`${property}\`: \`${shown(value)}\` is not a pull policy; give IF_NOT_PRESENT, ALWAYS or NEVER`,
  );
}

function cpuLimits(value: unknown, property: string): Record<string, unknown> {
  if (!isRecord(value) || value.cpus === undefined || value.cpus === null) return {};
  const cpus = Number(value.cpus);
  if (!Number.isFinite(cpus) || cpus <= 0)
    throw new TaskFailure(
      `Property \`${property}.cpus\`: \`${shown(value.cpus)}\` is not a number of CPUs above 0`,
    );
  return { NanoCpus: Math.round(cpus * 1e9) };
}

function memoryLimits(value: unknown, property: string): Record<string, unknown> {
  if (!isRecord(value)) return {};
  const out: Record<string, unknown> = {};
  const sizes: Array<[string, string]> = [
    ['memory', 'Memory'],
    ['memorySwap', 'MemorySwap'],
    ['memoryReservation', 'MemoryReservation'],
    ['kernelMemory', 'KernelMemory'],
  ];
  for (const [name, field] of sizes) {
    const v = value[name];
    if (v === undefined || v === null) continue;
    // `memorySwap: -1` lets the container swap without limit, as in Docker.
    out[field] =
      name === 'memorySwap' && shown(v).trim() === '-1' ? -1 : dockerSize(v, `${property}.${name}`);
  }
  if (value.memorySwappiness !== undefined && value.memorySwappiness !== null) {
    const swappiness = Number(value.memorySwappiness);
    if (!Number.isInteger(swappiness) || swappiness < 0 || swappiness > 100)
      throw new TaskFailure(
        `Property \`${property}.memorySwappiness\`: \`${shown(value.memorySwappiness)}\` is not a whole number from 0 to 100`,
      );
    out.MemorySwappiness = swappiness;
  }
  if (value.oomKillDisable === true || value.oomKillDisable === 'true') out.OomKillDisable = true;
  return out;
}

function deviceRequestsOf(value: unknown, property: string): Record<string, unknown>[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value))
    throw new TaskFailure(`Property \`${property}\`: expected a list of device requests`);
  return value.filter(isRecord).map((request) => ({
    ...(typeof request.driver === 'string' ? { Driver: request.driver } : {}),
    ...(request.count !== undefined ? { Count: Number(request.count) } : {}),
    ...(Array.isArray(request.deviceIds) ? { DeviceIDs: request.deviceIds.map(String) } : {}),
    ...(Array.isArray(request.capabilities)
      ? {
          Capabilities: request.capabilities.map((and) =>
            Array.isArray(and) ? and.map(String) : [String(and)],
          ),
        }
      : {}),
    ...(isRecord(request.options) ? { Options: request.options } : {}),
  }));
}

/** `[ip:][hostPort:]containerPort[/protocol]`, as `docker run -p` reads it. */
function portBindings(
  specs: readonly string[],
  property: string,
): {
  exposed: Record<string, Record<string, never>>;
  bindings: Record<string, Array<Record<string, string>>>;
} {
  const exposed: Record<string, Record<string, never>> = {};
  const bindings: Record<string, Array<Record<string, string>>> = {};
  for (const spec of specs) {
    const match = /^(?:(?:\[([^\]]+)\]|([^:]+)):)??(?:(\d*):)?(\d+)(?:\/(tcp|udp|sctp))?$/.exec(spec.trim());
    if (!match)
      throw new TaskFailure(
        `Property \`${property}\`: \`${spec}\` is not a port binding; write it as for \`docker run -p\`, such as \`8080:80\` or \`127.0.0.1:8080:80/udp\``,
      );
    const [, ip6, ip4, hostPort, containerPort, protocol] = match;
    const key = `${containerPort}/${protocol ?? 'tcp'}`;
    exposed[key] = {};
    (bindings[key] ??= []).push({ HostIp: ip6 ?? ip4 ?? '', HostPort: hostPort ?? '' });
  }
  return { exposed, bindings };
}

/** `X-Registry-Auth`: base64url of the credentials as JSON, as the engine reads it. */
function registryAuthOf(value: unknown): string | undefined {
  if (!isRecord(value)) return undefined;
  const auth: Record<string, string> = {};
  const fields: Array<[string, string]> = [
    ['username', 'username'],
    ['password', 'password'],
    ['registry', 'serveraddress'],
    ['identityToken', 'identitytoken'],
    ['registryToken', 'registrytoken'],
    ['auth', 'auth'],
  ];
  for (const [from, to] of fields) if (typeof value[from] === 'string') auth[to] = value[from];
  if (Object.keys(auth).length === 0) return undefined;
  return Buffer.from(JSON.stringify(auth)).toString('base64url');
}

function graceSeconds(value: unknown, property: string): number {
  if (value === undefined || value === null) return 0;
  const ms = typeof value === 'number' ? value : parseIsoDuration(shown(value));
  if (ms === undefined || ms < 0)
    throw new TaskFailure(
      `Property \`${property}\`: \`${shown(value)}\` is not an ISO-8601 duration such as PT10S`,
    );
  return Math.ceil(ms / 1000);
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

function stringList(value: unknown, property: string): string[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new TaskFailure(`Property \`${property}\`: expected a list of text`);
  return value.map((item) => (typeof item === 'string' ? item : JSON.stringify(item)));
}

/** A value as a message shows it. */
function shown(value: unknown): string {
  return typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value));
}
