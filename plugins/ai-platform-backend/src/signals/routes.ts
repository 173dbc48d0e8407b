import express from 'express';
import { ingestionCredentials } from '../shared/ingestion/ingestionBody';
import { RouteContext } from '../shared/http/routeContext';
import {
  pipelineRefFromPath,
  rangeFromQuery,
} from '../shared/http/requestParams';
import { DashboardService } from './DashboardService';
import { SignalIngestService } from './SignalIngestService';

/** A pipeline's dashboard, and signal ingestion (`POST /signals`, `POST /openlineage`). */
export function registerSignalRoutes(
  router: express.Router,
  { readers, ingestion }: RouteContext,
  services: { dashboards: DashboardService; ingest: SignalIngestService },
) {
  const { dashboards, ingest } = services;

  router.get('/pipelines/:namespace/:name/dashboard', async (req, res) => {
    const ref = pipelineRefFromPath(req.params);
    const range = rangeFromQuery(req.query);
    res.json(await dashboards.getDashboard(ref, range, await readers(req)));
  });

  router.post('/signals', ...ingestion('signals'), async (req, res) => {
    res.json(await ingest.ingestSignals(req.body, ingestionCredentials(res)));
  });

  router.post('/openlineage', ...ingestion('openlineage'), async (req, res) => {
    res.json(
      await ingest.ingestOpenLineage(req.body, ingestionCredentials(res)),
    );
  });
}
