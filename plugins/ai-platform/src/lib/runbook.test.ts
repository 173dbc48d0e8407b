// These tests hand script URLs in to check that they are never kept.
/* eslint-disable no-script-url */
import { HealthSuspect } from '@aiplatform/plugin-ai-platform-common';
import { bannerRunbook, runbookSpecOf, safeRunbookUrl } from './runbook';

const suspect = (stage: string): HealthSuspect => ({
  stage,
  signal: 'accuracy',
  reason: 'accuracy fell to 0.8',
});

describe('safeRunbookUrl', () => {
  it.each([
    'https://runbooks.example.com/kb-answers',
    'http://wiki.internal/runbooks/kb#retrieve',
    'HTTPS://RUNBOOKS.EXAMPLE.COM/x',
  ])('keeps the http(s) URL %p', url => {
    expect(safeRunbookUrl(url)).toBe(url);
  });

  it.each([
    'javascript:alert(1)',
    '\tjavascript:alert(1)',
    'JAVASCRIPT:alert(1)',
    'data:text/html,hi',
    'mailto:oncall@example.com',
    'ftp://files.example.com/r',
    '/relative/path',
    '//evil.example.com/x',
    'not a url',
    '',
    undefined,
    null,
    42,
    { href: 'https://x.example' },
  ])('drops %p', value => {
    expect(safeRunbookUrl(value)).toBeUndefined();
  });
});

describe('runbookSpecOf', () => {
  it('keeps the runbooks of a well-formed spec', () => {
    expect(
      runbookSpecOf({
        runbook: 'https://r.example/p',
        stages: [
          { name: 'a', type: 'ingest', runbook: 'https://r.example/a' },
          { name: 'b', type: 'serve' },
        ],
      }),
    ).toEqual({
      runbook: 'https://r.example/p',
      stages: [
        { name: 'a', runbook: 'https://r.example/a' },
        { name: 'b', runbook: undefined },
      ],
    });
  });

  it('ignores what has the wrong shape', () => {
    expect(runbookSpecOf(undefined)).toEqual({
      runbook: undefined,
      stages: [],
    });
    expect(
      runbookSpecOf({
        runbook: ['https://r.example/p'],
        stages: [null, 'a', { name: 3 }, { name: 'c', runbook: 7 }],
      }),
    ).toEqual({
      runbook: undefined,
      stages: [{ name: 'c', runbook: undefined }],
    });
    expect(runbookSpecOf({ stages: 'embed' })).toEqual({
      runbook: undefined,
      stages: [],
    });
  });
});

describe('bannerRunbook', () => {
  const spec = runbookSpecOf({
    runbook: 'https://r.example/pipeline',
    stages: [
      { name: 'embed', runbook: 'https://r.example/embed' },
      { name: 'serve' },
      { name: 'bad', runbook: 'javascript:alert(1)' },
    ],
  });

  it("is the suspect stage's runbook, else the pipeline's", () => {
    expect(bannerRunbook(spec, 'failing', suspect('embed'))).toBe(
      'https://r.example/embed',
    );
    expect(bannerRunbook(spec, 'degraded', suspect('serve'))).toBe(
      'https://r.example/pipeline',
    );
    expect(bannerRunbook(spec, 'failing', suspect('gone'))).toBe(
      'https://r.example/pipeline',
    );
  });

  it("is the pipeline's when it fails or is halted without a suspect", () => {
    expect(bannerRunbook(spec, 'failing', null)).toBe(
      'https://r.example/pipeline',
    );
    expect(bannerRunbook(spec, 'halted', null)).toBe(
      'https://r.example/pipeline',
    );
    expect(bannerRunbook(spec, 'healthy', null)).toBeUndefined();
    expect(bannerRunbook(spec, 'degraded', null)).toBeUndefined();
    expect(bannerRunbook(spec, 'unknown', null)).toBeUndefined();
  });

  it('is none without runbooks, and never a non-http(s) one', () => {
    expect(
      bannerRunbook(undefined, 'failing', suspect('embed')),
    ).toBeUndefined();
    expect(
      bannerRunbook(runbookSpecOf({ stages: [] }), 'failing', null),
    ).toBeUndefined();
    // The stage's unsafe runbook is not replaced by the pipeline's: it is dropped.
    expect(bannerRunbook(spec, 'failing', suspect('bad'))).toBeUndefined();
  });
});
