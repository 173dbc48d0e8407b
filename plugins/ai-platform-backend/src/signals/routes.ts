import express from 'express';
import { ApiRouter } from '../shared/http/apiRouter';
import { RouteContext } from '../shared/http/routeContext';
import {
  pipelineRefFromPath,
  rangeFromQuery,
} from '../shared/http/requestParams';
import { ingestionCredentials } from '../shared/ingestion/ingestionBody';
import { DashboardService } from './DashboardService';
import { SignalIngestService } from './SignalIngestService';

/** A pipeline's dashboard. */
export function registerSignalRoutes(
  router: ApiRouter,
  { readers }: RouteContext,
  dashboards: DashboardService,
) {
  router.get('/pipelines/:namespace/:name/dashboard', async (req, res) => {
    const ref = pipelineRefFromPath(req.params);
    const range = rangeFromQuery(req.query);
    res.json(await dashboards.getDashboard(ref, range, await readers(req)));
  });
}

/**
 * Signal ingestion (`POST /signals`, `POST /openlineage`), in front of the
 * typed router: service credentials first, then the body.
 */
export function registerSignalIngestionRoutes(
  router: express.Router,
  { ingestion }: RouteContext,
  ingest: SignalIngestService,
) {
  router.post('/signals', ...ingestion('signals'), async (req, res) => {
    res.json(await ingest.ingestSignals(req.body, ingestionCredentials(res)));
  });

  router.post('/openlineage', ...ingestion('openlineage'), async (req, res) => {
    res.json(await ingest.ingestOpenLineage(req.body));
  });
}
