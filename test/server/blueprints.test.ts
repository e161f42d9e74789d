/**
 * Blueprints: the gallery is served by the server from the package's catalog, in our shape and
 * Kestra's (`/blueprints/community/flow`), and every blueprint is a valid flow.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateFlowSource } from '../../src/flow/validate-flow.js';
import { catalog } from '../../src/plugins/registry.js';
import { loadBlueprints } from '../../src/server/routes/blueprints.js';
import { startTestServer } from './support.js';
import type { TestServer } from './support.js';

const API = '/api/v1/main';

interface Listed {
  results: Array<{ id: string; title: string; description: string; tags: string[]; includedTasks: string[] }>;
  total: number;
}

describe('blueprints routes', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.close());

  it("lists the course's pipelines with title, description, tags and task types", async () => {
    const res = await server.app.inject({ method: 'GET', url: `${API}/blueprints` });
    expect(res.statusCode).toBe(200);
    const body = res.json<Listed>();
    expect(body.total).toBe(body.results.length);
    const ids = body.results.map((b) => b.id);
    for (const id of [
      'hello-world',
      'python-script',
      'postgres-taxi',
      'postgres-taxi-scheduled',
      'gcp-course-pipeline',
    ])
      expect(ids).toContain(id);
    const python = body.results.find((b) => b.id === 'python-script')!;
    expect(python.title).toBe('Run a Python script');
    expect(python.tags).toContain('Python');
    expect(python.includedTasks).toEqual([
      'io.kestra.plugin.scripts.python.Script',
      'io.kestra.plugin.core.log.Log',
    ]);
    expect(python).not.toHaveProperty('source');
  });

  it('filters by text and by tag, in our shape and under Kestra’s community path', async () => {
    const byText = await server.app.inject({ method: 'GET', url: `${API}/blueprints?q=bigquery` });
    const ids = byText.json<Listed>().results.map((b) => b.id);
    expect(ids).toContain('gcp-course-pipeline');
    expect(ids).not.toContain('hello-world');
    const byTag = await server.app.inject({
      method: 'GET',
      url: `/api/v1/blueprints/community/flow?tags=python`,
    });
    expect(byTag.statusCode).toBe(200);
    const tagged = byTag.json<Listed>().results;
    expect(tagged.length).toBeGreaterThan(0);
    expect(tagged.every((b) => b.tags.includes('Python'))).toBe(true);
  });

  it('gives one blueprint with its YAML, and its YAML alone', async () => {
    const one = await server.app.inject({ method: 'GET', url: `${API}/blueprints/hello-world` });
    expect(one.statusCode).toBe(200);
    expect(one.json<{ source: string }>().source).toMatch(/^id: hello_world$/m);
    const source = await server.app.inject({
      method: 'GET',
      url: `${API}/blueprints/community/flow/python-script/source`,
    });
    expect(source.statusCode).toBe(200);
    expect(source.headers['content-type']).toContain('application/x-yaml');
    expect(source.body).toMatch(/^id: python_script$/m);
  });

  it('answers 404 with a stable code for an unknown blueprint', async () => {
    const res = await server.app.inject({ method: 'GET', url: `${API}/blueprints/nope` });
    expect(res.statusCode).toBe(404);
    expect(res.json<{ code: string }>().code).toBe('WH_NOT_FOUND');
  });

  it('every blueprint is a valid flow', () => {
    const blueprints = loadBlueprints();
    expect(blueprints.length).toBeGreaterThanOrEqual(10);
    expect(new Set(blueprints.map((b) => b.id)).size).toBe(blueprints.length);
    for (const blueprint of blueprints) {
      const result = validateFlowSource(blueprint.source, { catalog, file: blueprint.file });
      const problems = [...result.problems, ...result.flows.flatMap((f) => f.problems)];
      expect(
        problems.filter((p) => p.severity === 'error'),
        blueprint.file,
      ).toEqual([]);
      expect(result.valid, blueprint.file).toBe(true);
    }
  });
});
