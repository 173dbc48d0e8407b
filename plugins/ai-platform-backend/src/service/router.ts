import { HttpAuthService } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import { normalizeRef } from '@aiplatform/plugin-ai-platform-common';
import express from 'express';
import Router from 'express-promise-router';
import { z } from 'zod';
import { OwnershipService } from './OwnershipService';

export interface RouterOptions {
  httpAuth: HttpAuthService;
  ownership: OwnershipService;
}

const NAME_PATTERN = /^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/;

/** Parses an owner ref from a query parameter, with a 400 that names it. */
function parseOwnerParam(name: string, value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value.trim() === '') {
    throw new InputError(
      `Invalid query parameter ${name}: expected one entity ref such as group:default/ml-team`,
    );
  }
  let ref: string;
  try {
    ref = normalizeRef(value.trim(), { defaultKind: 'group' });
  } catch (e) {
    throw new InputError(
      `Invalid query parameter ${name}: "${value}" is not an entity ref (${
        (e as Error).message
      })`,
    );
  }
  const kind = ref.split(':')[0];
  if (kind !== 'group' && kind !== 'user') {
    throw new InputError(
      `Invalid query parameter ${name}: "${value}" must be a Group or a User`,
    );
  }
  return ref;
}

const pathSchema = z.object({
  namespace: z.string().regex(NAME_PATTERN),
  name: z.string().regex(NAME_PATTERN),
});

/** Maps the HTTP API to the services; no logic of its own. */
export async function createRouter(
  options: RouterOptions,
): Promise<express.Router> {
  const { httpAuth, ownership } = options;
  const router = Router();
  router.use(express.json());

  const readCredentials = (req: express.Request) =>
    httpAuth.credentials(req, { allow: ['user', 'service'] });

  router.get('/pipelines', async (req, res) => {
    res.json(await ownership.listPipelines(await readCredentials(req)));
  });

  router.get('/pipelines/:namespace/:name/ownership', async (req, res) => {
    const path = pathSchema.safeParse(req.params);
    if (!path.success) {
      const field = String(path.error.issues[0].path[0]);
      throw new InputError(
        `Invalid path parameter ${field}: "${
          req.params[field as 'name']
        }" is not an entity namespace or name`,
      );
    }
    const ref = `aipipeline:${path.data.namespace}/${path.data.name}`;
    res.json(
      await ownership.getPipelineOwnership(
        ref.toLocaleLowerCase('en-US'),
        await readCredentials(req),
      ),
    );
  });

  router.get('/ownership/report', async (req, res) => {
    const owner = parseOwnerParam('owner', req.query.owner);
    res.json(
      await ownership.getOwnershipReport(owner, await readCredentials(req)),
    );
  });

  router.get('/stages', async (req, res) => {
    const owner = parseOwnerParam('owner', req.query.owner);
    if (!owner) {
      throw new InputError(
        'Missing query parameter owner: give a Group or User ref',
      );
    }
    res.json(await ownership.getOwnedStages(owner, await readCredentials(req)));
  });

  return router;
}
