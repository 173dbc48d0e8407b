import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { createTestApp } from '../__testUtils__/createTestApp';
import { spec } from './openapi';

const yamlSpec = YAML.parse(
  fs.readFileSync(path.join(__dirname, 'openapi.yaml'), 'utf8'),
);

/** The route of the spec document itself, added by the typed router. */
const SPEC_ROUTE = 'GET /openapi.json';

/** `GET /pipelines/{namespace}/{name}/ownership`, for each operation. */
function specOperations(): string[] {
  return Object.entries(yamlSpec.paths as Record<string, object>).flatMap(
    ([template, item]) =>
      Object.keys(item)
        .filter(key => ['get', 'post', 'put', 'patch', 'delete'].includes(key))
        .map(method => `${method.toUpperCase()} ${template}`),
  );
}

interface Layer {
  route?: { path: string; methods: Record<string, boolean> };
  handle: { stack?: Layer[] };
  regexp: { fast_slash?: boolean };
}

/** Every route an Express app or router serves, with `{param}` templates. */
function expressRoutes(stack: Layer[]): string[] {
  return stack.flatMap(layer => {
    if (layer.route) {
      const template = layer.route.path.replace(/:(\w+)/g, '{$1}');
      return Object.keys(layer.route.methods)
        .filter(m => layer.route!.methods[m] && m !== '_all')
        .map(m => `${m.toUpperCase()} ${template}`);
    }
    if (layer.handle.stack) {
      // A router mounted at a path would need its prefix here.
      if (!layer.regexp.fast_slash) {
        throw new Error('A router mounted at a path: list its prefix');
      }
      return expressRoutes(layer.handle.stack);
    }
    return [];
  });
}

describe('the OpenAPI spec', () => {
  it('is the one the generated router serves and validates against', () => {
    // `yarn generate:openapi` writes openapi/generated/router.ts from the YAML.
    expect(JSON.parse(JSON.stringify(spec))).toEqual(yamlSpec);
  });

  it('describes every route the backend serves, and nothing else', async () => {
    const { app } = await createTestApp({ entities: [] });
    const served = expressRoutes(
      (app as unknown as { _router: { stack: Layer[] } })._router.stack,
    ).filter(route => route !== SPEC_ROUTE);

    expect(new Set(served).size).toBe(served.length);
    expect([...served].sort()).toEqual(specOperations().sort());
  });

  it('names an operation id, a 200 answer and the error answer of each operation', () => {
    for (const [template, item] of Object.entries<any>(yamlSpec.paths)) {
      for (const [method, operation] of Object.entries<any>(item)) {
        const what = `${method.toUpperCase()} ${template}`;
        expect({ what, id: typeof operation.operationId }).toEqual({
          what,
          id: 'string',
        });
        expect({ what, codes: Object.keys(operation.responses) }).toEqual({
          what,
          codes: ['200', 'default'],
        });
      }
    }
  });

  it('declares each path parameter of a template, and no other', () => {
    for (const [template, item] of Object.entries<any>(yamlSpec.paths)) {
      const inTemplate = [...template.matchAll(/\{(\w+)\}/g)].map(m => m[1]);
      for (const [method, operation] of Object.entries<any>(item)) {
        const declared = (operation.parameters ?? [])
          .map((p: any) =>
            p.$ref
              ? yamlSpec.components.parameters[p.$ref.split('/').pop()]
              : p,
          )
          .filter((p: any) => p.in === 'path')
          .map((p: any) => p.name);
        expect({ what: `${method} ${template}`, declared }).toEqual({
          what: `${method} ${template}`,
          declared: inTemplate,
        });
      }
    }
  });
});
