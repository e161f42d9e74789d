/**
 * The Docker task runner on a real Docker engine (test/support/docker.ts: a private dockerd,
 * and an image imported from a root file system of busybox and python3, since no registry is
 * reachable). The errors of an absent engine run everywhere, against a socket nobody serves.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { outputsOf, startTestRuntime, statesOf } from '../../engine/support/runtime.js';
import type { TestRuntime } from '../../engine/support/runtime.js';
import type { TaskLogger } from '../../../src/plugins/api.js';
import { removeLeftovers, TASK_RUN_LABEL } from '../../../src/plugins/scripts/run/docker-container.js';
import { TEST_IMAGE, testDocker } from '../../support/docker.js';
import type { TestDocker } from '../../support/docker.js';
import { errorOf, flow, logsOf } from './support.js';

const RUNNER = 'io.kestra.plugin.scripts.runner.docker.Docker';

/** A Docker runner block (indented for a task), with extra lines of its own. */
function docker(extra = ''): string {
  return `    containerImage: ${TEST_IMAGE}
    taskRunner:
      type: ${RUNNER}
      pullPolicy: NEVER
${extra}`;
}

describe('without a Docker engine', () => {
  let rt: TestRuntime;
  beforeAll(async () => {
    rt = await startTestRuntime();
  });
  afterAll(async () => {
    await rt.dispose();
  });

  it('fails with WH_DOCKER_UNREACHABLE naming where it looked; runner: DOCKER too', async () => {
    const e = await rt.run(
      flow(`  - id: docker
    type: io.kestra.plugin.scripts.python.Script
    containerImage: python:3.12-slim
    taskRunner:
      type: ${RUNNER}
      host: unix:///nonexistent/docker.sock
    script: print("hi")
`),
    );
    expect(statesOf(e)).toEqual({ docker: 'FAILED' });
    expect(await errorOf(rt, e, 'docker')).toBe(
      "WH_DOCKER_UNREACHABLE: No Docker engine answers at unix:///nonexistent/docker.sock (ENOENT): start one, set DOCKER_HOST or the runner's `host`, or use `taskRunner` type io.kestra.plugin.core.runner.Process to run the commands as a local process",
    );
    const legacy = await rt.run(
      flow(`  - id: legacy
    type: io.kestra.plugin.scripts.shell.Commands
    runner: DOCKER
    docker:
      host: tcp://127.0.0.1:1
    commands: [echo hi]
`),
    );
    expect(await errorOf(rt, legacy, 'legacy')).toMatch(
      /^WH_DOCKER_UNREACHABLE: No Docker engine answers at tcp:\/\/127\.0\.0\.1:1 \(ECONNREFUSED\)/,
    );
  });
});

const engine: TestDocker = await testDocker();

describe.skipIf(!engine.available)(
  engine.available ? 'on a Docker engine' : `on a Docker engine (skipped: ${engine.reason})`,
  // Each test starts a few containers: slower than a process on a loaded machine (CI's 2 cores).
  { timeout: 60_000 },
  () => {
    let rt: TestRuntime;
    let dataDir: string;
    let mountDir: string;
    beforeAll(async () => {
      dataDir = mkdtempSync(join(tmpdir(), 'wh-docker-'));
      mountDir = mkdtempSync(join(tmpdir(), 'wh-docker-mount-'));
      writeFileSync(join(mountDir, 'shared.txt'), 'from the worker');
      rt = await startTestRuntime(
        { env: { ...process.env, DOCKER_HOST: engine.host, WINDHOVER_DOCKER_VOLUME_ENABLED: 'true' } },
        dataDir,
      );
    });
    /** The task runs' containers still there after waiting up to `ms` for them to go. */
    async function containersLeftAfter(ms: number): Promise<unknown[]> {
      const end = Date.now() + ms;
      let left = await engine.containersUnder(dataDir);
      while (left.length > 0 && Date.now() < end) {
        await new Promise((r) => setTimeout(r, 50));
        left = await engine.containersUnder(dataDir);
      }
      return left;
    }
    afterEach(async () => {
      // A test that failed half-way must not leave its containers running.
      await engine.removeContainersUnder(dataDir);
    });
    afterAll(async () => {
      await rt.dispose();
      await engine.removeContainersUnder(dataDir);
      rmSync(dataDir, { recursive: true, force: true });
      rmSync(mountDir, { recursive: true, force: true });
    });

    it('runs a Python script in the image: outputs protocol, inputFiles, outputFiles, workingDir; the container is removed', async () => {
      const e = await rt.run(
        flow(`  - id: py
    type: io.kestra.plugin.scripts.python.Script
${docker()}    inputFiles:
      data/in.txt: "3,4"
    outputFiles: ["out/*.txt"]
    env:
      GREETING: hello
    script: |
      import os
      from kestra import Kestra
      a, b = open("data/in.txt").read().split(",")
      os.makedirs("out", exist_ok=True)
      open("out/sum.txt", "w").write(str(int(a) + int(b)))
      cgroup = open("/proc/self/cgroup").read()
      Kestra.outputs({"sum": int(a) + int(b), "cwd": os.getcwd(), "wd": os.environ["WORKING_DIR"],
                      "greeting": os.environ["GREETING"], "inDocker": "/docker/" in cgroup,
                      "python": os.path.realpath("/usr/bin/python3")})
      print('::{"outputs": {"raw": true}}::')
      print("plain line")
  - id: after
    type: io.kestra.plugin.core.debug.Return
    format: "{{ outputs.py.vars.sum }} {{ read(outputs.py.outputFiles['out/sum.txt']) }}"
`),
      );
      expect(statesOf(e)).toEqual({ py: 'SUCCESS', after: 'SUCCESS' });
      const vars = outputsOf(e, 'py')?.vars as Record<string, unknown>;
      expect(vars).toMatchObject({ sum: 7, greeting: 'hello', inDocker: true, raw: true });
      expect(vars.cwd).toBe(vars.wd);
      expect(String(vars.cwd)).toContain(dataDir);
      expect(outputsOf(e, 'after')?.value).toBe('7 7');
      expect(await logsOf(rt, e, 'py')).toEqual(['INFO plain line']);
      expect(await engine.containersUnder(dataDir)).toEqual([]);
    });

    it('a missing image is a task error: NEVER fails at once, IF_NOT_PRESENT after a pull that cannot succeed', async () => {
      const e = await rt.run(
        flow(`  - id: never
    type: io.kestra.plugin.scripts.shell.Commands
    containerImage: windhover-test/absent:1
    taskRunner:
      type: ${RUNNER}
      pullPolicy: NEVER
    commands: [echo hi]
`),
      );
      expect(statesOf(e)).toEqual({ never: 'FAILED' });
      expect(await errorOf(rt, e, 'never')).toBe(
        'WH_DOCKER_IMAGE_NOT_FOUND: The image `windhover-test/absent:1` is not on the Docker engine, and `pullPolicy` is NEVER: build, load or import it there first (`docker build`, `docker load`, `docker import`), or set `pullPolicy: IF_NOT_PRESENT`',
      );
      const pulled = await rt.run(
        flow(`  - id: pull
    type: io.kestra.plugin.scripts.shell.Commands
    containerImage: windhover-test/absent:1
    taskRunner:
      type: ${RUNNER}
    commands: [echo hi]
`),
      );
      expect(statesOf(pulled)).toEqual({ pull: 'FAILED' });
      const logs = await logsOf(rt, pulled, 'pull');
      expect(logs[0]).toBe('INFO Pulling the image windhover-test/absent:1');
      expect(logs.at(-1)).toMatch(
        /^ERROR WH_DOCKER_IMAGE_NOT_FOUND: The image `windhover-test\/absent:1` is not on the Docker engine and could not be pulled \(.+\): check its name and tag/,
      );
    });

    it('IF_NOT_PRESENT uses the local image without pulling', async () => {
      const e = await rt.run(
        flow(`  - id: present
    type: io.kestra.plugin.scripts.shell.Commands
    containerImage: ${TEST_IMAGE}
    taskRunner:
      type: ${RUNNER}
      pullPolicy: IF_NOT_PRESENT
    commands: [echo present]
`),
      );
      expect(statesOf(e)).toEqual({ present: 'SUCCESS' });
      expect(await logsOf(rt, e, 'present')).toEqual(['INFO present']);
    });

    it('networkMode none leaves only the loopback interface; host shows the host interfaces', async () => {
      const e = await rt.run(
        flow(`  - id: none
    type: io.kestra.plugin.scripts.shell.Commands
${docker('      networkMode: none\n')}    commands: [ls /sys/class/net]
  - id: host
    type: io.kestra.plugin.scripts.shell.Commands
${docker('      networkMode: host\n')}    commands: [ls /sys/class/net]
  - id: bridge
    type: io.kestra.plugin.scripts.shell.Commands
${docker()}    commands: [ls /sys/class/net]
`),
      );
      expect(statesOf(e)).toEqual({ none: 'SUCCESS', host: 'SUCCESS', bridge: 'SUCCESS' });
      expect(await logsOf(rt, e, 'none')).toEqual(['INFO lo']);
      // The host's interfaces but the veth pairs of containers, which come and go.
      const noVeth = (names: string[]) => names.filter((n) => !n.includes('veth'));
      expect(noVeth(await logsOf(rt, e, 'host'))).toEqual(
        noVeth(
          readdirSync('/sys/class/net')
            .sort()
            .map((n) => `INFO ${n}`),
        ),
      );
      expect(await logsOf(rt, e, 'bridge')).toEqual(['INFO eth0', 'INFO lo']);
    });

    it('exit codes: a failing command fails the task with its code, outputs sent before it kept; a command missing from the image is 127', async () => {
      const e = await rt.run(
        flow(`  - id: fails
    type: io.kestra.plugin.scripts.shell.Commands
${docker()}    allowFailure: true
    commands:
      - echo '::{"outputs":{"before":1}}::'
      - exit 3
  - id: missing
    type: io.kestra.plugin.scripts.shell.Commands
${docker()}    allowFailure: true
    commands: ["echo start", "nosuchtool --version"]
  - id: missingDirect
    type: io.kestra.plugin.scripts.shell.Commands
${docker()}    allowFailure: true
    commands: [nosuchtool]
`),
      );
      expect(statesOf(e)).toEqual({ fails: 'WARNING', missing: 'WARNING', missingDirect: 'WARNING' });
      expect(await errorOf(rt, e, 'fails')).toBe('Command failed with exit code 3');
      expect(outputsOf(e, 'fails')).toMatchObject({ exitCode: 3, vars: { before: 1 } });
      expect(await errorOf(rt, e, 'missing')).toBe(
        `Command failed with exit code 127: \`nosuchtool\` was not found in the image \`${TEST_IMAGE}\`; install it, or change the command or \`interpreter\``,
      );
      expect(await errorOf(rt, e, 'missingDirect')).toBe(
        `WH_DOCKER_ENGINE_ERROR: \`nosuchtool\` was not found in the image \`${TEST_IMAGE}\`: use an image that has it, or change the command or \`interpreter\``,
      );
      expect(outputsOf(e, 'missingDirect')).toMatchObject({ exitCode: 127 });
    });

    it('cpu and memory limits reach the container; running out of memory says so', async () => {
      const e = await rt.run(
        flow(`  - id: limits
    type: io.kestra.plugin.scripts.shell.Commands
${docker('      cpu:\n        cpus: 0.5\n      memory:\n        memory: 32MB\n')}    commands:
      - cat /sys/fs/cgroup/memory/memory.limit_in_bytes 2>/dev/null || cat /sys/fs/cgroup/memory.max
      - cat /sys/fs/cgroup/cpu/cpu.cfs_quota_us 2>/dev/null || cut -d' ' -f1 /sys/fs/cgroup/cpu.max
  - id: oom
    type: io.kestra.plugin.scripts.python.Commands
${docker('      memory:\n        memory: 32MB\n        memorySwap: 32MB\n')}    allowFailure: true
    commands: ["python -c 'b = bytearray(256 * 1024 * 1024)'"]
`),
      );
      expect(statesOf(e)).toEqual({ limits: 'SUCCESS', oom: 'WARNING' });
      expect(await logsOf(rt, e, 'limits')).toEqual([`INFO ${32 * 1024 * 1024}`, 'INFO 50000']);
      expect(await errorOf(rt, e, 'oom')).toBe(
        `Command failed with exit code 137 (the container ran out of memory: its limit is ${32 * 1024 * 1024} bytes; raise \`memory.memory\`)`,
      );
    });

    it('volumes mount folders of the worker when the operator allows it', async () => {
      const e = await rt.run(
        flow(`  - id: mounted
    type: io.kestra.plugin.scripts.shell.Commands
${docker(`      volumes: ["${mountDir}:/mnt/shared:ro"]\n`)}    commands: [cat /mnt/shared/shared.txt]
`),
      );
      expect(statesOf(e)).toEqual({ mounted: 'SUCCESS' });
      expect(await logsOf(rt, e, 'mounted')).toEqual(['INFO from the worker']);
    });

    it('a numeric user writes the working directory; dependencies are installed in the container with pip', async () => {
      const e = await rt.run(
        flow(`  - id: asUser
    type: io.kestra.plugin.scripts.shell.Commands
${docker('      user: "1234:1234"\n')}    outputFiles: [mine.txt]
    commands:
      - id -u > mine.txt
  - id: deps
    type: io.kestra.plugin.scripts.python.Script
${docker()}    allowFailure: true
    dependencies: [requests]
    script: print("never reached")
`),
      );
      expect(statesOf(e)).toEqual({ asUser: 'SUCCESS', deps: 'WARNING' });
      const file = (outputsOf(e, 'asUser')?.outputFiles as Record<string, string>)['mine.txt']!;
      expect((await rt.runtime.storage.readBuffer(file)).toString().trim()).toBe('1234');
      // The test image has no pip: the install command runs in the container, and fails there.
      expect((await logsOf(rt, e, 'deps')).join('\n')).toMatch(/No module named pip/);
    });

    it('a kill stops and removes the running container', async () => {
      const deployed = await rt.deploy(
        flow(`  - id: slow
    type: io.kestra.plugin.scripts.shell.Commands
${docker()}    commands: ["sleep 60"]
`),
      );
      const execution = await rt.runtime.submit(deployed);
      let running: Array<{ State: string }> = [];
      for (let i = 0; i < 200 && running.length === 0; i++) {
        running = (await engine.containersUnder(dataDir)).filter((c) => c.State === 'running');
        if (running.length === 0) await new Promise((r) => setTimeout(r, 50));
      }
      expect(running).toHaveLength(1);
      await rt.runtime.command(execution.id, { kind: 'kill' });
      const killedAt = Date.now();
      const ended = await rt.runtime.waitForEnd(execution.id);
      expect(ended.state.current).toBe('KILLED');
      // The task ends KILLED at once; the container is killed and removed right after.
      expect(await containersLeftAfter(5000)).toEqual([]);
      expect(Date.now() - killedAt).toBeLessThan(5000);
    });

    it('a container left running by an earlier attempt of the task run is removed before the next starts', async () => {
      const taskRunId = `leftover-${Date.now()}`;
      const created = await engine.engine.json<{ Id: string }>({
        method: 'POST',
        path: '/containers/create',
        body: {
          Image: TEST_IMAGE,
          Cmd: ['sleep', '60'],
          Labels: { [TASK_RUN_LABEL]: taskRunId },
          HostConfig: { Binds: [`${dataDir}:${dataDir}`] },
        },
      });
      await engine.engine.json({ method: 'POST', path: `/containers/${created.Id}/start` });
      expect((await engine.containersUnder(dataDir)).map((c) => c.State)).toEqual(['running']);
      const warnings: string[] = [];
      const logger = { warn: (m: string) => warnings.push(m) } as unknown as TaskLogger; // only warn is called
      await removeLeftovers(engine.engine, taskRunId, logger);
      expect(await engine.containersUnder(dataDir)).toEqual([]);
      expect(warnings).toEqual([
        `Removed the container ${created.Id.slice(0, 12)} (running) left by an earlier attempt of this task run`,
      ]);
    });

    it('a timeout stops the container and fails the task', async () => {
      const started = Date.now();
      const e = await rt.run(
        flow(`  - id: slow
    type: io.kestra.plugin.scripts.shell.Commands
${docker()}    timeout: PT1S
    commands: ["sleep 60"]
`),
      );
      expect(statesOf(e)).toEqual({ slow: 'FAILED' });
      expect(await errorOf(rt, e, 'slow')).toMatch(/^Timeout: the task did not finish within/);
      expect(Date.now() - started).toBeLessThan(15_000);
      expect(await containersLeftAfter(5000)).toEqual([]);
    });

    it('bad runner values fail the task naming the property; volumes need the operator', async () => {
      const noVolumes = await startTestRuntime({ env: { ...process.env, DOCKER_HOST: engine.host } });
      try {
        const e = await noVolumes.run(
          flow(`  - id: volumes
    type: io.kestra.plugin.scripts.shell.Commands
${docker(`      volumes: ["/etc:/mnt/etc"]\n`)}    commands: [ls /mnt/etc]
  - id: memory
    type: io.kestra.plugin.scripts.shell.Commands
${docker(`      memory:\n        memory: lots\n`)}    allowFailure: true
    commands: [echo hi]
`),
        );
        expect(await errorOf(noVolumes, e, 'volumes')).toBe(
          "Property `taskRunner.volumes`: mounting folders of the worker into containers is off; an operator turns it on with WINDHOVER_DOCKER_VOLUME_ENABLED=true (Kestra's `volume-enabled`)",
        );
      } finally {
        await noVolumes.dispose();
      }
      const e = await rt.run(
        flow(`  - id: memory
    type: io.kestra.plugin.scripts.shell.Commands
${docker(`      memory:\n        memory: lots\n`)}    commands: [echo hi]
`),
      );
      expect(await errorOf(rt, e, 'memory')).toBe(
        'Property `taskRunner.memory.memory`: `lots` is not a size; give a number and a unit such as `512MB` or `2GB`',
      );
    });

    it("the kestra module is mounted read-only; the working directory stays the worker's to clean", async () => {
      const e = await rt.run(
        flow(`  - id: ro
    type: io.kestra.plugin.scripts.python.Script
${docker()}    allowFailure: true
    script: |
      import kestra
      open(kestra.__file__, "a").write("# changed")
`),
      );
      expect(statesOf(e)).toEqual({ ro: 'WARNING' });
      expect((await logsOf(rt, e, 'ro')).join('\n')).toMatch(/Read-only file system/);
      expect(
        readFileSync(join(import.meta.dirname, '..', '..', '..', 'python', 'kestra.py'), 'utf8'),
      ).not.toContain('# changed');
    });
  },
);
